"""The Elasticsearch engine when its server cannot be reached.

ELASTICSEARCH_URL points at a closed local port (the discard port 9): every
request is a real connection failure, and pages must still render and say that
search is unavailable. The engine's behaviour against a live server is covered
by the contract suite (test_contract.py) whenever ELASTICSEARCH_URL is set.
"""

import pytest

from cms.settings.base import wagtail_search_backends
from search.backends.elasticsearch import ElasticsearchEngine, ElasticsearchSiteEngine
from search.base import SearchQuery
from search.registry import get_engine
from search.site import get_site_engine

pytestmark = pytest.mark.django_db

CLOSED_PORT = "http://127.0.0.1:9"


@pytest.fixture
def unreachable(settings):
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    settings.ELASTICSEARCH_TIMEOUT = 2
    settings.WAGTAILSEARCH_BACKENDS = wagtail_search_backends(CLOSED_PORT, timeout=2)
    return settings


def test_elasticsearch_url_selects_the_elasticsearch_engines(unreachable):
    assert isinstance(get_engine("credentials"), ElasticsearchEngine)
    assert isinstance(get_site_engine(), ElasticsearchSiteEngine)


def test_without_elasticsearch_url_the_database_engines_run(settings):
    settings.ELASTICSEARCH_URL = ""
    assert not isinstance(get_engine("credentials"), ElasticsearchEngine)
    assert not isinstance(get_site_engine(), ElasticsearchSiteEngine)


def test_site_search_says_search_is_unavailable(client, unreachable):
    response = client.get("/search/", {"q": "framework"})
    assert response.status_code == 503
    assert "Search is unavailable" in response.text
    # The rest of the page (header, navigation, search box) still renders.
    assert 'id="header-search-q"' in response.text
    assert 'id="site-search-q"' in response.text


def test_suggestions_are_empty_when_search_is_unavailable(client, unreachable):
    response = client.get("/search/suggest", {"q": "frame"})
    assert response.status_code == 200
    assert response.json() == {"suggestions": []}


def test_catalogue_engine_reports_unavailable_instead_of_failing(unreachable):
    result = get_engine("credentials").search(
        SearchQuery(text="welding", facets=("provider", "cost"))
    )
    assert result.unavailable
    assert result.total == 0
    assert result.hits == []


def test_catalogue_page_still_renders(client, unreachable):
    response = client.get("/catalogue/", {"q": "welding"})
    assert response.status_code == 200
