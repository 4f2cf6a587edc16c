"""Search engines and link previews are told the site's real address (SITE_URL)
on every kind of page, never the host a request came in on (http://localhost/
behind a proxy)."""

import re

import pytest

from tests.credentials.factories import make_credential, make_provider

pytestmark = pytest.mark.django_db

SITE = "https://micro.example.org"


@pytest.fixture
def site_behind_a_proxy(settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.SITE_URL = SITE


@pytest.fixture
def entry(home_page):
    from credentials.seed import catalogue_page

    catalogue_page()
    return make_credential("Data Analytics", provider=make_provider("Lakeshore"))


def _canonical_and_og_url(html):
    (canonical,) = re.findall(r'<link rel="canonical" href="([^"]*)">', html)
    (og_url,) = re.findall(r'<meta property="og:url" content="([^"]*)">', html)
    return canonical, og_url


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "/"),
        ("/why-micro-certification-now/", "/why-micro-certification-now/"),
        ("/catalogue/", "/catalogue/"),
        ("/catalogue/?q=data&mode=online", "/catalogue/"),
        ("/search/?q=framework", "/search/"),
        ("/community/", "/community/"),
        ("/site-map/", "/site-map/"),
        ("/accounts/login/", "/accounts/login/"),
        ("/accounts/signup/", "/accounts/signup/"),
        ("/accounts/password/reset/", "/accounts/password/reset/"),
    ],
)
def test_every_page_names_the_sites_address(
    client, home_page, entry, site_behind_a_proxy, path, expected
):
    response = client.get(path, HTTP_HOST="localhost")
    assert response.status_code == 200
    html = response.content.decode()
    assert _canonical_and_og_url(html) == (SITE + expected, SITE + expected)
    assert "http://localhost" not in html


def test_a_catalogue_entry_names_the_sites_address(client, entry, site_behind_a_proxy):
    url = entry.get_absolute_url()
    html = client.get(url, HTTP_HOST="localhost").content.decode()
    assert _canonical_and_og_url(html) == (SITE + url, SITE + url)
    assert "http://localhost" not in html


def test_a_members_account_page_names_the_sites_address(
    client, user, site_behind_a_proxy
):
    client.force_login(user)
    html = client.get("/accounts/email/", HTTP_HOST="localhost").content.decode()
    assert _canonical_and_og_url(html) == (SITE + "/accounts/email/",) * 2
