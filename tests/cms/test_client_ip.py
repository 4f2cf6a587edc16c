"""Rate limits take the client's address from X-Forwarded-For only when the
request comes from one of our own proxies (cms.http.client_ip)."""

import pytest
from django.test import RequestFactory

from cms.http import client_ip
from tests.cms.test_contact import VALID
from tests.conftest import PASSWORD

PROXY = "127.0.0.1"  # Varnish, on the same host as gunicorn
TERMINATOR = "10.0.0.2"  # the TLS terminator, as Varnish sees it


def address(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **headers))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert address("198.51.100.1", "203.0.113.9") == "198.51.100.1"


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert address(PROXY, f"198.51.100.1, {TERMINATOR}") == "198.51.100.1"
    # Whatever the client wrote itself stays on the left, unused.
    assert address(PROXY, f"6.6.6.6, 198.51.100.1, {TERMINATOR}") == "198.51.100.1"
    assert address(PROXY, "[2001:db8::7]:4431, 10.0.0.2") == "2001:db8::7"
    # A request that reached gunicorn directly: its header proves nothing.
    assert address("198.51.100.1", f"6.6.6.6, {TERMINATOR}") == "198.51.100.1"
    # Garbage in the header: the proxy's own address, never an error.
    assert address(PROXY, f"not-an-address, {TERMINATOR}") == PROXY


@pytest.fixture
def contact(client, home_page, settings, django_capture_on_commit_callbacks):
    settings.CONTACT_RATE_LIMIT = "2/h"

    def post(**headers):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/contact/", VALID, **headers).status_code

    return post


@pytest.mark.django_db
def test_clients_behind_the_proxy_get_their_own_contact_budget(contact, settings):
    settings.TRUSTED_PROXY_COUNT = 2

    def via_proxy(client_address):
        return contact(
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{client_address}, {TERMINATOR}",
        )

    assert [via_proxy("198.51.100.1") for _ in range(3)] == [200, 200, 400]
    assert via_proxy("198.51.100.2") == 200


@pytest.mark.django_db
def test_a_forged_header_buys_a_direct_client_nothing(contact, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    statuses = [
        contact(REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        for n in range(3)
    ]
    assert statuses == [200, 200, 400]


@pytest.mark.django_db
def test_sign_in_failures_count_per_client_behind_the_proxy(client, member, settings):
    settings.TRUSTED_PROXY_COUNT = 2

    def sign_in(client_address, password):
        response = client.post(
            "/accounts/login/",
            {"login": member.email, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{client_address}, {TERMINATOR}",
        )
        return "Too many failed login attempts" in response.content.decode()

    refused = [sign_in("203.0.113.66", f"guess-{n}") for n in range(7)]
    assert refused == [False] * 5 + [True] * 2
    assert not sign_in("198.51.100.7", PASSWORD)
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_forged_headers_do_not_reset_sign_in_failures(client, member, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    refused = [
        "Too many failed login attempts"
        in client.post(
            "/accounts/login/",
            {"login": member.email, "password": f"guess-{n}"},
            REMOTE_ADDR="203.0.113.66",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).content.decode()
        for n in range(7)
    ]
    assert refused == [False] * 5 + [True] * 2
