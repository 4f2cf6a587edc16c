"""Account pages look like the rest of the site and pass axe-core."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/login/", "Sign in"),
        ("/accounts/signup/", "Sign up"),
        ("/accounts/password/reset/", "Password reset"),
    ],
)
def test_account_pages_read_like_the_site(page, home_page, axe_check, path, heading):
    page.goto(path)
    expect(page.locator("h1")).to_have_text(heading)
    labels = page.locator("main label").all_inner_texts()
    assert labels and not [
        label for label in labels if label.rstrip("* ").endswith(":")
    ]
    button = page.locator("main form button[type=submit]").first
    assert "button" in (button.get_attribute("class") or "")
    axe_check(page)


def test_sign_up_errors_are_announced_with_their_fields(page, home_page, axe_check):
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "not-an-address")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".error-summary")).to_be_visible()
    name = page.locator("#id_display_name")
    expect(name).to_have_attribute("aria-invalid", "true")
    description = name.evaluate(
        """el => el.getAttribute('aria-describedby').split(' ')
            .map(id => document.getElementById(id).textContent.trim()).join(' ')"""
    )
    assert "This field is required." in description
    axe_check(page)
