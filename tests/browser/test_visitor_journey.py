"""A visitor, using only the keyboard, reads about micro-certification and writes in."""

import pytest
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission

from tests.browser.keyboard import focused, tab_to

pytestmark = pytest.mark.browser


def test_keyboard_visitor_reads_and_contacts_the_coordinator(
    page, live_server, home_page, axe_check
):
    page.goto("/")
    axe_check(page)

    # The first Tab reaches the skip link, which is then visible, and works.
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["text"] == "Skip to main content"
    assert skip["outline"]
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    # Back at the top, the main navigation leads to the page.
    page.goto("/")
    tab_to(page, lambda el: el["text"] == "What is a micro-certification?")
    page.keyboard.press("Enter")
    page.wait_for_url("**/what-is-a-micro-certification/")
    assert page.locator("h1").inner_text() == "What is a micro-certification?"
    assert "RMIT University" in page.locator("figure.quote").inner_text()
    axe_check(page)

    # On to the contact form, still by keyboard.
    tab_to(page, lambda el: el["href"] == "/contact/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/contact/")
    axe_check(page)

    # Submitting empty shows an error summary that takes focus.
    tab_to(page, lambda el: el["text"] == "Send message")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert focused(page)["tag"] == "div"
    assert "There is a problem" in page.locator(".error-summary").inner_text()
    axe_check(page)

    tab_to(page, lambda el: el["name"] == "your_name")
    page.keyboard.type("Priya Patel")
    page.keyboard.press("Tab")
    page.keyboard.type("priya@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type("Seneca Polytechnic")
    page.keyboard.press("Tab")
    page.keyboard.type("How can our college join the working group?")
    tab_to(page, lambda el: el["text"] == "Send message")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Your message has been sent")
    axe_check(page)

    submission = FormSubmission.objects.get()
    assert submission.get_data()["your_email"] == "priya@example.com"
    assert mail.outbox[-1].to == ["coordinator@example.org"]
