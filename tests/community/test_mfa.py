"""Two-factor sign-in (allauth.mfa): enrolment, codes, and the staff requirement."""

import re

import pytest
from allauth.mfa.models import Authenticator

from tests.conftest import PASSWORD, make_user
from tests.mfa import enable_totp, totp_code

pytestmark = pytest.mark.django_db


def _signed_in(client):
    return "_auth_user_id" in client.session


def sign_in(client, email):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def open_activation(client, user):
    """Sign in and open the authenticator set-up, confirming the password first."""
    sign_in(client, user.email)
    response = client.get("/accounts/2fa/totp/activate/")
    # Security settings ask for the password again before changing anything.
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    return client.get("/accounts/2fa/totp/activate/")


def enrol(client, user):
    """Turn on an authenticator app the way a member does; returns its secret."""
    page = open_activation(client, user)
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    # The page shows the secret for typing into an app, and a QR code.
    assert secret in page.content.decode()
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    return secret


def test_member_enrols_and_then_signs_in_with_a_code(client, member):
    secret = enrol(client, member)
    assert Authenticator.objects.filter(
        user=member, type=Authenticator.Type.TOTP
    ).exists()
    # Recovery codes are made with the authenticator.
    assert Authenticator.objects.filter(
        user=member, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    client.post("/accounts/logout/")

    response = sign_in(client, member.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not _signed_in(client)
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    refused = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert "Incorrect code." in refused.content.decode()
    assert not _signed_in(client)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert _signed_in(client)


def test_wrong_code_at_enrolment_turns_nothing_on(client, member):
    open_activation(client, member)
    response = client.post("/accounts/2fa/totp/activate/", {"code": "12345"})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=member).exists()


def test_recovery_code_signs_in_once(client, member):
    enrol(client, member)
    codes = (
        Authenticator.objects.get(user=member, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    client.post("/accounts/logout/")

    sign_in(client, member.email)
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert _signed_in(client)

    client.post("/accounts/logout/")
    sign_in(client, member.email)
    reused = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert not _signed_in(client)
    assert "Incorrect code." in reused.content.decode()


def test_recovery_codes_page_lists_codes_for_download(client, member):
    enrol(client, member)
    page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    codes = re.findall(r"\b[0-9a-f]{8}\b", page)
    assert len(codes) >= 10


def test_staff_without_two_factor_cannot_open_the_admin(client, staff):
    sign_in(client, staff.email)
    for url in ["/admin/", "/admin/pages/", "/django-admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    followed = client.get("/admin/", follow=True)
    assert "need two-factor sign-in" in followed.content.decode()


def test_staff_with_two_factor_reach_the_admin(client, staff):
    secret = enable_totp(staff)
    sign_in(client, staff.email)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Dashboard" in response.content.decode()


def test_members_who_are_not_staff_are_not_forced(client):
    member = make_user("plain@example.org")
    sign_in(client, member.email)
    # No admin access at all, but no two-factor redirect either.
    response = client.get("/admin/")
    assert not response["Location"].startswith("/accounts/2fa/")
