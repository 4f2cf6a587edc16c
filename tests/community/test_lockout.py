"""Failed sign-ins count per account and address: an attacker locks only
themselves out, and a member who is locked out still gets in by email."""

import re

import pytest
from django.core import mail

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
HOME = "198.51.100.7"


def _signed_in(client):
    return "_auth_user_id" in client.session


def sign_in(client, email, password, address):
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=address,
    )


def test_an_attackers_failures_do_not_lock_the_member_out(client, member):
    refused = 0
    for attempt in range(20):
        response = sign_in(client, member.email, f"guess-{attempt}", ATTACKER)
        refused += "Too many failed login attempts" in response.content.decode()
    # The attacker's address is limited after five failures for the account...
    assert refused == 15
    response = sign_in(client, member.email, PASSWORD, ATTACKER)
    assert "Too many failed login attempts" in response.content.decode()
    assert not _signed_in(client)
    # ...and the member, elsewhere, signs in at once.
    sign_in(client, member.email, PASSWORD, HOME)
    assert _signed_in(client)


def test_one_address_guessing_many_accounts_is_limited(client, member, other_member):
    for attempt in range(10):
        account = (member, other_member)[attempt % 2]
        sign_in(client, account.email, f"guess-{attempt}", ATTACKER)
    response = sign_in(client, "third@example.org", "guess", ATTACKER)
    assert "Too many failed login attempts" in response.content.decode()


def test_a_locked_out_member_signs_in_with_an_emailed_code(client, member):
    for attempt in range(6):
        sign_in(client, member.email, f"typo-{attempt}", HOME)
    response = sign_in(client, member.email, PASSWORD, HOME)
    assert "Too many failed login attempts" in response.content.decode()
    # The sign-in page offers a code by email instead.
    assert "/accounts/login/code/" in client.get("/accounts/login/").content.decode()

    client.post("/accounts/login/code/", {"email": member.email}, REMOTE_ADDR=HOME)
    assert mail.outbox[-1].to == [member.email]
    code = re.search(r"^([A-Z0-9-]{6,})$", mail.outbox[-1].body, re.M).group(1)
    client.post("/accounts/login/code/confirm/", {"code": code}, REMOTE_ADDR=HOME)
    assert _signed_in(client)
