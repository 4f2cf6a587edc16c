"""A coordinator's first sign-in: password, a code by email, then an
authenticator app; only then the admin."""

import re

import pytest
from django.core import mail

from tests.conftest import PASSWORD, make_user
from tests.mfa import totp_code

pytestmark = pytest.mark.browser


def test_coordinator_enrols_a_second_factor_on_first_sign_in(
    page, transactional_db, home_page, axe_check
):
    coordinator = make_user("cora@example.org", is_staff=True, is_superuser=True)
    page.goto("/accounts/login/?next=/admin/")
    page.fill("input[name=login]", coordinator.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()

    page.wait_for_url("**/accounts/login/code/confirm/")
    axe_check(page)
    code = re.search(r"^([A-Z0-9-]{6,})$", mail.outbox[-1].body, re.M).group(1)
    page.fill("input[name=code]", code)
    page.press("input[name=code]", "Enter")

    page.wait_for_url("**/community/two-factor/enrol/")
    axe_check(page)
    # The password was just typed: the set-up does not ask for it again.
    assert page.locator("main input[type=password]").count() == 0
    secret = page.locator("main code").inner_text()
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_selector(".error-summary")
    axe_check(page)
    page.get_by_label("Code from your authenticator app").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_url("**/admin/")
    assert "Dashboard" in page.content()
    # Right after signing in, the account's security pages open without
    # asking for the password (or a code) once more.
    page.goto("/accounts/2fa/recovery-codes/generate/")
    assert "/accounts/reauthenticate" not in page.url
    assert page.locator("main input[type=password]").count() == 0


def test_member_proves_their_email_before_adding_an_authenticator(
    page, transactional_db, home_page, axe_check
):
    member = make_user("mira@example.org")
    page.goto("/accounts/login/?next=/accounts/2fa/totp/activate/")
    page.fill("input[name=login]", member.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()

    page.wait_for_url("**/accounts/reauthenticate/code/**")
    axe_check(page)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/accounts/reauthenticate/code/confirm/**")
    axe_check(page)
    code = re.search(r"^([A-Z0-9-]{6,})$", mail.outbox[-1].body, re.M).group(1)
    page.fill("input[name=code]", code)
    page.press("input[name=code]", "Enter")

    page.wait_for_url("**/accounts/2fa/totp/activate/")
    axe_check(page)
    secret = page.locator("input#authenticator_secret").input_value()
    page.fill("input[name=code]", totp_code(secret))
    page.press("input[name=code]", "Enter")
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
