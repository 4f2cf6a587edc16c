"""The sign-up, sign-in and password journeys, end to end through the mail outbox."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-quite-different-passphrase"


def _link(message, pattern):
    match = re.search(rf"https?://[^\s]+{pattern}[^\s]*", message.body)
    assert match, f"no link matching {pattern!r} in:\n{message.body}"
    return match.group(0).split("testserver", 1)[-1]


def _signed_in(client):
    return "_auth_user_id" in client.session


def signup(client, email="new@example.org", password=PASSWORD, password2=None):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "display_name": "New Member",
            "password1": password,
            "password2": password2 or password,
        },
    )


def test_the_whole_account_journey(client, home_page):
    # Sign up: an email goes out, nobody is signed in yet.
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not _signed_in(client)
    user = get_user_model().objects.get(email="new@example.org")
    assert user.username  # derived from the email; nobody typed one
    assert len(mail.outbox) == 1
    confirm_url = _link(mail.outbox[0], "/accounts/confirm-email/")

    # Signing in before confirming is refused: another confirmation is sent.
    response = client.post(
        "/accounts/login/", {"login": "new@example.org", "password": PASSWORD}
    )
    assert not _signed_in(client)
    assert response["Location"] == "/accounts/confirm-email/"

    # The link confirms the address (a button press, not a mere GET).
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "new@example.org" in page.content.decode()
    client.post(confirm_url)
    assert user.emailaddress_set.get().verified
    # Confirmed in the browser that signed up: signed in at once.
    assert _signed_in(client)
    client.post("/accounts/logout/")
    assert not _signed_in(client)

    # Now signing in works, and signing out too.
    response = client.post(
        "/accounts/login/", {"login": "new@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert _signed_in(client)
    assert "Sign out" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert not _signed_in(client)

    # Reset the password through the emailed link.
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": "new@example.org"})
    assert len(mail.outbox) == 1
    reset_url = _link(mail.outbox[0], "/accounts/password/reset/key/")
    form_url = client.get(reset_url)["Location"]
    response = client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    client.logout()
    refused = client.post(
        "/accounts/login/", {"login": "new@example.org", "password": PASSWORD}
    )
    assert refused.status_code == 200
    assert not _signed_in(client)
    client.post(
        "/accounts/login/", {"login": "new@example.org", "password": NEW_PASSWORD}
    )
    assert _signed_in(client)


def test_confirming_signs_in_only_the_browser_that_signed_up(
    client, home_page, django_user_model
):
    from django.test import Client

    signup(client)
    confirm_url = _link(mail.outbox[0], "/accounts/confirm-email/")
    # The link opened in another browser confirms the address, nothing more.
    elsewhere = Client()
    elsewhere.post(confirm_url)
    user = django_user_model.objects.get(email="new@example.org")
    assert user.emailaddress_set.get().verified
    assert not _signed_in(elsewhere)
    assert not _signed_in(client)


def test_confirming_in_the_same_browser_lands_signed_in(client, home_page):
    signup(client)
    confirm_url = _link(mail.outbox[0], "/accounts/confirm-email/")
    response = client.post(confirm_url, follow=True)
    assert _signed_in(client)
    assert "Sign out" in response.content.decode()


def test_weak_password_gets_a_clear_error_and_creates_nobody(client, home_page):
    response = signup(client, password="password1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This password is too common." in html
    assert not get_user_model().objects.filter(email="new@example.org").exists()
    assert mail.outbox == []


def test_mismatched_passwords_get_a_clear_error(client, home_page):
    response = signup(client, password2="something-else-entirely")
    assert "You must type the same password each time." in response.content.decode()
    assert not get_user_model().objects.filter(email="new@example.org").exists()


def test_duplicate_email_creates_nothing_and_tells_the_owner(client, home_page):
    """Enumeration prevention: the page does not say the address is taken.

    The address's owner is told by email instead, which is the clear message a
    real owner needs, without telling a stranger that the account exists.
    """
    make_user("taken@example.org")
    response = signup(client, email="taken@example.org")
    assert response["Location"] == "/accounts/confirm-email/"
    assert (
        get_user_model().objects.filter(email__iexact="taken@example.org").count() == 1
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["taken@example.org"]
    assert "already" in mail.outbox[0].body.lower()
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_password_reset_does_not_reveal_unknown_addresses(client, home_page):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    # An email goes to the address either way; it says there is no account.
    assert mail.outbox[0].to == ["nobody@example.org"]


def test_repeated_failed_sign_ins_are_rate_limited(client, member):
    for _ in range(5):
        client.post(
            "/accounts/login/", {"login": member.email, "password": "wrong-password"}
        )
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": PASSWORD}
    )
    assert not _signed_in(client)
    assert "Too many failed login attempts" in response.content.decode()


def test_wagtail_admin_sign_in_goes_through_allauth(client, home_page):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")


def test_django_admin_login_cannot_bypass_allauth(client, staff):
    response = client.get("/django-admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    # Posting a password straight to the Django admin's login does not sign in.
    client.post(
        "/django-admin/login/", {"username": staff.username, "password": PASSWORD}
    )
    assert not _signed_in(client)


def test_sign_in_pages_use_the_site_layout(client, home_page):
    html = client.get("/accounts/login/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert 'name="login"' in html and 'type="email"' in html
    assert "username" not in html.lower()
