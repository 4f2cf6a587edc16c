"""The catalogue's pages in the shared page cache, as visitors notice it.

/catalogue/ (with or without a query), entry pages and the API are the same for
every anonymous visitor, so they are served from the page cache; an entry or
provider change reaches the next visitor at once, without emptying the cache
of the rest of the site.
"""

import pytest
from django.test import Client

from .factories import make_credential, make_provider

pytestmark = pytest.mark.django_db

QUERY = "/catalogue/?q=welding"
API = "/api/v1/credentials?q=welding"


@pytest.fixture
def welding(home_page):
    return make_credential("Welding Basics", provider=make_provider("Lakeshore"))


def _visit(url, **headers):
    response = Client().get(url, **headers)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("url", [QUERY, "/catalogue/", API, "entry"])
def test_second_visitor_is_served_from_the_cache_without_the_database(
    welding, url, django_assert_num_queries
):
    url = welding.get_absolute_url() if url == "entry" else url
    first = _visit(url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = _visit(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert b"Welding Basics" in second.content


def test_an_edited_entry_reaches_the_next_visitor_everywhere(welding):
    entry = welding.get_absolute_url()
    for url in (QUERY, entry, API):
        _visit(url)
        assert _visit(url)["X-Page-Cache"] == "hit"

    welding.title = "Welding Fundamentals"
    welding.save()

    for url in (QUERY, entry, API):
        response = _visit(url)
        assert response["X-Page-Cache"] == "miss"
        assert b"Welding Fundamentals" in response.content
        assert b"Welding Basics" not in response.content


def test_a_renamed_provider_reaches_cached_entry_pages(welding):
    entry = welding.get_absolute_url()
    _visit(entry)
    provider = welding.provider
    provider.name = "Lakeshore Polytechnic"
    provider.save()
    assert b"Lakeshore Polytechnic" in _visit(entry).content


def test_unpublished_and_new_entries_show_at_once(welding):
    assert b"Welding Basics" in _visit(QUERY).content
    make_credential("Welding Safety", provider=welding.provider)
    welding.status = "archived"
    welding.live = False
    welding.save()

    html = _visit(QUERY).content
    assert b"Welding Safety" in html
    assert b"Welding Basics" not in html
    assert Client().get(welding.get_absolute_url()).status_code == 404


def test_a_catalogue_change_leaves_the_rest_of_the_site_cached(welding):
    _visit("/")
    welding.title = "Welding Fundamentals"
    welding.save()
    assert _visit("/")["X-Page-Cache"] == "hit"


def test_a_page_change_reaches_cached_catalogue_pages(welding):
    """The catalogue shows the site's menu: publishing a page updates it."""
    from cms.models import StandardPage

    assert b"What is a micro-certification?" in _visit(QUERY).content
    page = StandardPage.objects.get(title="What is a micro-certification?")
    page.title = "Micro-certification explained"
    page.save_revision().publish()
    assert b"Micro-certification explained" in _visit(QUERY).content


def test_members_get_their_own_private_catalogue_page(welding, member):
    client = Client()
    client.force_login(member)
    response = client.get(QUERY)
    assert response["X-Page-Cache"] == "bypass"
    assert "private" in response["Cache-Control"]
    # Their visit stored nothing: the next anonymous visitor makes the entry.
    assert _visit(QUERY)["X-Page-Cache"] == "miss"


def test_each_language_gets_its_own_cached_catalogue(welding):
    _visit(QUERY, HTTP_ACCEPT_LANGUAGE="fr")
    english = _visit(QUERY, HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Page-Cache"] == "miss"
    assert english["Content-Language"] == "en"
