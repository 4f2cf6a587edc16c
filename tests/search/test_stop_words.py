"""Queries with stop words find their entries, in English and in French, on the
catalogue page and through the API, on both engines (issue 19)."""

import re

import pytest

from tests.credentials.factories import make_credential, make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(engine_name, django_capture_on_commit_callbacks):
    college = make_provider("Lakeshore College")
    with django_capture_on_commit_callbacks(execute=True):
        made = [
            make_credential("Gestion de projet agile", provider=college, language="fr"),
            make_credential(
                "Analyse de données en santé", provider=college, language="fr"
            ),
            make_credential("Project management for teams", provider=college),
            make_credential("Welding basics", provider=college),
        ]
    return made


def page_titles(client, text):
    html = client.get("/catalogue/", {"q": text}).text
    total = re.search(r'catalogue__total" role="status">\s*([\d,]+)', html)
    assert total, "the page shows no total"
    return int(total.group(1)), html


def api_titles(client, text):
    data = client.get("/api/v1/credentials", {"q": text}).json()
    return data["total"], sorted(item["title"] for item in data["results"])


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("gestion de projet", "Gestion de projet agile"),
        ("analyse de données", "Analyse de données en santé"),
    ],
)
def test_french_queries_with_stop_words(client, entries, text, title):
    total, html = page_titles(client, text)
    assert total == 1
    assert title in html
    assert api_titles(client, text) == (1, [title])


def test_english_query_with_stop_words(client, entries):
    text = "project management for teams"
    total, html = page_titles(client, text)
    assert total == 1
    assert "Project management for teams" in html
    assert api_titles(client, text) == (1, ["Project management for teams"])
