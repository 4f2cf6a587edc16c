"""The unfiltered catalogue's facet counts come from the cache until it changes.

/catalogue/ with no query and no filter is the catalogue's busiest page and its
facet counts read every public entry; the search engine keeps them under the
catalogue's version, which every entry or provider change bumps.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from .factories import make_credential, make_provider

pytestmark = pytest.mark.django_db


def _count(html, label):
    match = re.search(rf'{label} <span class="facet__count">\((\d+)', html)
    return int(match.group(1)) if match else 0


def _catalogue(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/catalogue/")
    assert response.status_code == 200
    counting = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    return response.content.decode(), counting


def test_unfiltered_facet_counts_are_cached_until_the_catalogue_changes(client):
    college = make_provider("Lakeshore College")
    make_credential("Data Analytics", provider=college, delivery_mode="online")
    hybrid = make_credential("Cybersecurity", provider=college, delivery_mode="hybrid")
    html, counting = _catalogue(client)
    assert counting  # counted once
    assert (_count(html, "Online"), _count(html, "Hybrid")) == (1, 1)

    html, counting = _catalogue(client)
    assert counting == []  # then from the cache
    assert (_count(html, "Online"), _count(html, "Hybrid")) == (1, 1)

    make_credential("Project Management", provider=college, delivery_mode="online")
    html, counting = _catalogue(client)
    assert counting
    assert _count(html, "Online") == 2

    hybrid.live = False
    hybrid.save()
    html, _counting = _catalogue(client)
    assert _count(html, "Hybrid") == 0

    hybrid.delete()
    college.name = "Lakeshore Polytechnic"
    college.save()
    html, counting = _catalogue(client)
    assert counting
    assert _count(html, "Lakeshore Polytechnic") == 2


def test_cached_facets_are_kept_per_language_as_text(client, settings):
    """The result cache keeps facet labels as text in the visitor's language:
    another language gets its own entry, never the first visitor's labels."""
    make_credential("Data Analytics", provider=make_provider("Lakeshore College"))
    html, counting = _catalogue(client)
    assert counting
    english, counting = _catalogue(client)
    assert counting == []
    assert english == html
    assert "Lakeshore College" in english

    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        french = client.get("/fr/catalogue/")
    assert french["Content-Language"] == "fr"
    assert [q for q in queries.captured_queries if "COUNT(" in q["sql"]]

    from credentials.search import FACET_NAMES, INDEX_NAME
    from search.base import SearchQuery
    from search.registry import get_engine

    engine = get_engine(INDEX_NAME)
    engine.search(SearchQuery(text="data", facets=FACET_NAMES))
    cached = engine.search(SearchQuery(text="data", facets=FACET_NAMES))
    labels = [facet.label for facet in cached.facets.values()]
    labels += [
        value.label for facet in cached.facets.values() for value in facet.values
    ]
    assert "Lakeshore College" in labels
    assert all(type(label) is str for label in labels)
