"""The catalogue behind the shared HTTP cache, as visitors notice it.

/catalogue/ (with or without a query), entry pages and the API are the same for
every anonymous visitor, so a shared cache may keep them (tag `catalogue`); an
entry or provider change purges them and shows at once, without purging the
rest of the site.
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


@pytest.fixture
def changes(purges, django_capture_on_commit_callbacks):
    def run(change):
        purges.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return purges.tags()

    return run


def _visit(url, **headers):
    response = Client().get(url, **headers)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("url", [QUERY, "/catalogue/", API, "entry", "jsonld"])
def test_anonymous_catalogue_responses_may_be_shared(welding, url):
    if url == "entry":
        url = welding.get_absolute_url()
    elif url == "jsonld":
        url = f"/catalogue/{welding.slug}.jsonld"
    response = Client().get(url)
    assert response.status_code == 200, url
    assert "public" in response["Cache-Control"]
    assert {"all", "catalogue"} <= set(response["xkey"].split())


def test_an_entry_page_names_its_entry(welding):
    for url in (welding.get_absolute_url(), f"/api/v1/credentials/{welding.slug}"):
        assert f"credential-{welding.pk}" in _visit(url)["xkey"].split()


def test_an_edited_entry_purges_the_catalogue_and_shows_everywhere(welding, changes):
    welding.title = "Welding Fundamentals"
    assert {"catalogue", "search"} <= changes(welding.save)
    for url in (QUERY, welding.get_absolute_url(), API):
        response = _visit(url)
        assert b"Welding Fundamentals" in response.content
        assert b"Welding Basics" not in response.content


def test_a_renamed_provider_purges_and_shows_on_entry_pages(welding, changes):
    provider = welding.provider
    provider.name = "Lakeshore Polytechnic"
    assert "catalogue" in changes(provider.save)
    assert b"Lakeshore Polytechnic" in _visit(welding.get_absolute_url()).content


def test_unpublished_and_new_entries_show_at_once(welding, changes):
    assert b"Welding Basics" in _visit(QUERY).content
    make_credential("Welding Safety", provider=welding.provider)
    welding.status = "archived"
    welding.live = False
    assert "catalogue" in changes(welding.save)

    html = _visit(QUERY).content
    assert b"Welding Safety" in html
    assert b"Welding Basics" not in html
    gone = Client().get(welding.get_absolute_url())
    assert gone.status_code == 404
    # The same for every visitor, and purged with the catalogue when it returns.
    assert "catalogue" in gone["xkey"].split()


def test_a_catalogue_change_purges_nothing_else(welding, changes):
    welding.title = "Welding Fundamentals"
    assert not {"all", "pages", "community", "events"} & changes(welding.save)


def test_a_page_change_reaches_catalogue_pages(welding):
    """The catalogue shows the site's menu: it carries the `pages` tag."""
    from cms.models import StandardPage

    assert "pages" in _visit(QUERY)["xkey"].split()
    page = StandardPage.objects.get(title="What is a micro-certification?")
    page.title = "Micro-certification explained"
    page.save_revision().publish()
    assert b"Micro-certification explained" in _visit(QUERY).content


def test_members_get_their_own_private_catalogue_page(welding, member):
    client = Client()
    client.force_login(member)
    response = client.get(QUERY)
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "xkey" not in response


def test_each_language_is_its_own_address(welding):
    # The address decides the language, never the browser's header, so a
    # shared cache keeps one copy per address.
    english = _visit(QUERY, HTTP_ACCEPT_LANGUAGE="fr")
    assert english["Content-Language"] == "en"
    assert "Accept-Language" not in english["Vary"]
    french = _visit(f"/fr{QUERY}", HTTP_ACCEPT_LANGUAGE="en")
    assert french["Content-Language"] == "fr"
    assert "Accept-Language" not in french["Vary"]
