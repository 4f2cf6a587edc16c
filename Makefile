PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

.PHONY: run test lint format check migrate seed messages bench bench-quick serve worker clean

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

## The interface's translations (locale/*/LC_MESSAGES/django.po -> .mo) with
## GNU gettext (msgfmt); without it the committed .mo files are used (a test
## fails when they are older than the .po)
messages: $(STAMP)
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(MANAGE) compilemessages --ignore=.venv --ignore=staticfiles -v0; \
	else \
		echo "msgfmt (GNU gettext) not found: using the committed translations"; \
	fi

## The local demo on SQLite with seeded content at http://127.0.0.1:8000
run: seed messages
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

## The whole suite: lint, system checks, migrations, pytest on one worker per
## core (pytest-xdist, each worker its own test database; an idle worker takes
## tests queued for a busy one). PYTEST_WORKERS=0 runs it in this process.
PYTEST_WORKERS ?= auto
test: lint check messages
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

## Production serving: needs SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (README).
## Varnish on PORT (8000) in front of gunicorn on 127.0.0.1:BACKEND_PORT (8001);
## Ctrl-C stops both (deploy/edge.py, docs/deployment.md)
serve: $(STAMP) messages
	DJANGO_SETTINGS_MODULE=cms.settings.production $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=cms.settings.production $(MANAGE) collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=cms.settings.production $(PY) deploy/edge.py

## The background task worker (emails, notifications, indexing) for make serve
worker: $(STAMP)
	DJANGO_SETTINGS_MODULE=cms.settings.production $(MANAGE) db_worker

## The benchmark on PostgreSQL (database mc_bench): about 5 minutes
bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

## The same, with small data and short runs: about 2 minutes
bench-quick: $(STAMP)
	$(PY) bench/run.py --quick $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .test-media
