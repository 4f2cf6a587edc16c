PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

.PHONY: run test lint format check migrate seed bench bench-quick serve worker clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

## The local demo on SQLite with seeded content at http://127.0.0.1:8000
run: seed
	$(MANAGE) runserver 127.0.0.1:8000

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: $(STAMP)
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) makemigrations --check --dry-run

## The whole suite: lint, system checks, migrations, pytest
test: lint check
	$(VENV)/bin/pytest $(PYTEST_ARGS)

serve: $(STAMP)
	DJANGO_SETTINGS_MODULE=cms.settings.production $(MANAGE) collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=cms.settings.production $(VENV)/bin/gunicorn cms.wsgi \
		--bind 127.0.0.1:8000 --workers $$(( $$(nproc) * 2 + 1 )) --access-logfile -

worker: $(STAMP)
	$(MANAGE) db_worker

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .test-media
