"""What the catalogue makes from its entries for everyone is made once and kept
until the catalogue changes (credentials.search.kept_for_everyone): the form,
facets and results of a query, an entry's page but its frame, the API's list.
Whether the visitor may see an entry is never kept: it is read each time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from taggit.models import Tag

from credentials.models import CredentialStartDate

from .factories import make_credential, make_provider

pytestmark = pytest.mark.django_db

URL = "/catalogue/?q=data&mode=online"


@pytest.fixture
def entry(home_page):
    from credentials.seed import catalogue_page

    catalogue_page()
    return make_credential(
        "Data Analytics", provider=make_provider("Lakeshore College"), skills=["SQL"]
    )


def _get(client, url=URL, **headers):
    """The page, and how many queries read the catalogue's entries for it (the
    catalogue's page in the site tree, its title and intro, is read each time)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    catalogue = [
        q
        for q in queries.captured_queries
        if "credentials_" in q["sql"]
        and "credentials_catalogueindexpage" not in q["sql"]
    ]
    return response.content.decode(), len(catalogue)


def test_a_query_asked_again_is_served_from_the_cache(client, entry):
    html, counted = _get(client)
    assert counted and "Data Analytics" in html and ">SQL<" in html
    again, counted = _get(client)
    assert counted == 0
    assert again == html
    other, counted = _get(client, URL + "&page=2")
    assert counted  # another query, another entry


def test_changes_to_entries_providers_and_skills_show_at_once(client, entry):
    _get(client)
    entry.title = "Data Analytics Essentials"
    entry.save()
    html, _counted = _get(client)
    assert "Data Analytics Essentials" in html

    provider = entry.provider
    provider.name = "Lakeshore Polytechnic"
    provider.save()
    html, _counted = _get(client)
    assert "Lakeshore Polytechnic" in html

    tag = Tag.objects.get(name="SQL")
    tag.name = "Structured Query Language"
    tag.save()
    html, _counted = _get(client)
    assert ">Structured Query Language<" in html and ">SQL<" not in html

    make_credential("Data Engineering", provider=provider)
    html, _counted = _get(client)
    assert "Data Engineering" in html


def test_unpublished_and_deleted_entries_leave_the_cached_results(client, entry):
    other = make_credential("Data Science")
    html, _counted = _get(client)
    assert "Data Science" in html and "Data Analytics" in html
    other.unpublish()
    html, _counted = _get(client)
    assert "Data Science" not in html
    entry.delete()
    html, _counted = _get(client)
    assert "Data Analytics" not in html


def test_members_and_visitors_share_it_and_it_holds_nothing_of_them(
    client, entry, member
):
    anonymous, _counted = _get(client)
    client.force_login(member)
    signed_in, counted = _get(client)
    start = anonymous.index('<form class="catalogue__form"')
    end = anonymous.index("</form>")
    results = anonymous[start:end]
    assert results in signed_in
    assert member.username not in results
    assert counted == 0


def test_each_language_has_its_own(client, entry):
    _get(client)
    with translation.override("en"):
        _html, counted = _get(client, "/fr" + URL)
    assert counted  # not the English one


def test_nothing_is_kept_when_search_caching_is_off(client, entry, settings):
    settings.SEARCH_CACHE_TIMEOUT = 0
    _get(client)
    _html, counted = _get(client)
    assert counted


def test_an_entry_page_asked_again_reads_only_whether_it_may_be_seen(client, entry):
    html, counted = _get(client, entry.get_absolute_url())
    assert counted > 1 and ">SQL<" in html
    again, counted = _get(client, entry.get_absolute_url())
    assert counted == 1  # visible_to(user), from the database every time
    assert again == html


def test_an_entry_unpublished_while_the_cache_keeps_its_page_is_gone(client, entry):
    from django.core.cache import cache

    from search import registry

    url = entry.get_absolute_url()
    assert client.get(url).status_code == 200
    kept = registry.version("credentials")
    entry.unpublish()
    # As if the new version had been lost (a Redis blip): the old rendering is
    # still there, and is never served for an entry nobody may see.
    cache.set(registry._version_key("credentials"), kept, None)
    assert client.get(url).status_code == 404


def test_changes_to_an_entry_show_on_its_page_at_once(client, entry):
    url = entry.get_absolute_url()
    _get(client, url)
    entry.title = "Data Analytics Essentials"
    entry.start_dates.add(CredentialStartDate(date=datetime.date(2031, 5, 6)))
    entry.skills.add("Python")
    entry.save()
    html, _counted = _get(client, url)
    assert "<h1>Data Analytics Essentials</h1>" in html
    assert 'datetime="2031-05-06"' in html and ">Python<" in html

    provider = entry.provider
    provider.name = "Lakeshore Polytechnic"
    provider.save()
    html, _counted = _get(client, url)
    assert "A micro-credential from Lakeshore Polytechnic" in html

    tag = Tag.objects.get(name="SQL")
    tag.name = "Structured Query Language"
    tag.save()
    html, _counted = _get(client, url)
    assert ">Structured Query Language<" in html

    other = make_credential("Data Engineering", provider=provider, skills=["Python"])
    html, _counted = _get(client, url)
    assert "Data Engineering" in html  # related

    entry.unpublish()
    assert client.get(url).status_code == 404
    other.delete()


def test_an_entry_page_names_the_sites_address_whatever_host_it_was_asked_on(
    client, entry, settings
):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    settings.SITE_URL = "https://micro.example.org"
    url = entry.get_absolute_url()
    for host in ("testserver", "localhost"):
        html = client.get(url, HTTP_HOST=host).content.decode()
        assert f'rel="canonical" href="https://micro.example.org{url}"' in html
        assert f'og:url" content="https://micro.example.org{url}"' in html
        assert f'"url": "https://micro.example.org{url}"' in html
        assert "localhost" not in html and "testserver" not in html


def test_the_api_list_is_kept_until_the_catalogue_changes(client, entry, settings):
    url = "/api/v1/credentials?q=data"
    first = client.get(url).json()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).json() == first
    assert not [q for q in queries.captured_queries if "credentials_" in q["sql"]]
    assert first["results"][0]["title"] == "Data Analytics"

    entry.title = "Data Analytics Essentials"
    entry.save()
    data = client.get(url).json()
    assert data["results"][0]["title"] == "Data Analytics Essentials"

    settings.ALLOWED_HOSTS = ["testserver", "catalogue.example.org"]
    data = client.get(url, HTTP_HOST="catalogue.example.org").json()
    assert data["results"][0]["url"].startswith("http://catalogue.example.org/")

    entry.unpublish()
    assert client.get(url).json()["total"] == 0
