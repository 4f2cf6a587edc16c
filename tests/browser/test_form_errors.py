"""Field errors are announced: a screen reader hears them with the field."""

import io

import pytest
from playwright.sync_api import expect

from events import seed as events_seed
from events.models import EventPage

pytestmark = pytest.mark.browser


@pytest.fixture
def forum(transactional_db, home_page):
    events_seed.seed(io.StringIO())
    return EventPage.objects.get()


def test_a_guest_hears_each_error_with_its_field(page, forum, axe_check):
    page.goto(forum.url)
    page.fill("#id_name", "Ada Guest")
    page.fill("#id_email", "not an address")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    expect(page.locator(".error-summary")).to_be_visible()
    email = page.locator("#id_email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(
        "We send your confirmation and calendar file here. Enter a valid email address."
    )
    privacy = page.locator("#id_privacy")
    expect(privacy).to_have_accessible_description(
        "Please agree to the privacy notice to register."
    )
    # Every id the inputs point at exists on the page.
    missing = page.evaluate(
        """() => [...document.querySelectorAll('[aria-describedby]')]
            .flatMap(el => el.getAttribute('aria-describedby').split(/\\s+/))
            .filter(id => !document.getElementById(id))"""
    )
    assert missing == []
    # The summary reads as sentences, never "label.: message".
    summary = page.locator(".error-summary").inner_text()
    assert ".:" not in summary
    assert "Please agree to the privacy notice to register." in summary
    assert "Email: Enter a valid email address." in summary
    axe_check(page)


def test_help_text_and_error_both_describe_the_field(page, forum):
    page.goto(forum.url)
    # The browser stops typing at maxlength; a script can still send more.
    page.eval_on_selector("#id_accommodations", "el => el.removeAttribute('maxlength')")
    page.fill("#id_accommodations", "x" * 2001)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    described_by = page.locator("#id_accommodations").get_attribute("aria-describedby")
    assert described_by.split() == [
        "id_accommodations_helptext",
        "id_accommodations_error",
    ]
    description = page.evaluate(
        """() => document.getElementById('id_accommodations')
            .getAttribute('aria-describedby').split(' ')
            .map(id => document.getElementById(id).textContent.trim()).join(' ')"""
    )
    assert description.startswith("Tell us what would help you take part fully.")
    assert "at most 2000 characters" in description
