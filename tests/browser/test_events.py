"""Forum journeys in a real browser: sign up, register, calendar, cancel, waitlist."""

import io
import re

import pytest
from django.core import mail
from icalendar import Calendar

from events import seed as events_seed
from events import services
from events.models import EventPage, Registration
from tests.browser.keyboard import tab_to
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def forum(transactional_db, home_page):
    """The seeded forum, with one seat left so the waitlist is in play."""
    events_seed.seed(io.StringIO())
    forum = EventPage.objects.get()
    forum.capacity = 2
    forum.save_revision().publish()
    services.register(
        event=forum, name="Early Bird", email="early@example.org", email_verified=True
    )
    return EventPage.objects.get(pk=forum.pk)


def _path(url):
    return "/" + url.split("/", 3)[3]


def _link(pattern, to):
    for message in reversed(mail.outbox):
        if message.to == [to]:
            found = re.search(pattern, message.body)
            if found:
                return _path(found.group(0))
    raise AssertionError(f"no email to {to} with {pattern}")


def test_visitor_signs_up_registers_cancels_and_the_waitlist_moves(
    page, live_server, forum, axe_check
):
    # Sign up and verify the email address.
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "vera@example.org")
    page.fill("input[name=display_name]", "Vera Visitor")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(_link(r"http://\S+/accounts/confirm-email/\S+", "vera@example.org"))
    page.locator("main form button[type=submit]").click()
    # Confirmed in the browser that signed up: signed in without a password.
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Sign out").is_visible()
    page.goto("/events/")

    # The events listing and the forum page.
    assert page.get_by_text("Registration open").first.is_visible()
    axe_check(page)
    page.get_by_role("link", name=forum.title).click()
    page.wait_for_url(f"**{forum.url}")
    assert page.get_by_role("heading", name="Agenda").is_visible()
    assert page.get_by_text("1 seat left").is_visible()
    assert forum.online_url not in page.content()
    axe_check(page)

    # Registering: a bad submission first, then the real one, by keyboard.
    page.get_by_label("Full name").fill("")
    page.get_by_role("button", name="Register").click()
    assert page.get_by_role("alert").is_visible()
    assert Registration.objects.filter(email="vera@example.org").count() == 0
    axe_check(page)  # the form with its errors
    page.get_by_label("Full name").fill("Vera Visitor")
    page.get_by_label("Organisation").fill("Seneca Polytechnic")
    page.get_by_label("Sector").select_option("higher_education")
    page.get_by_label("Accessibility accommodations").fill("Step-free access")
    page.get_by_label("I agree").check()
    tab_to(page, lambda el: el["tag"] == "button" and el["text"] == "Register")
    page.keyboard.press("Enter")
    page.wait_for_url("**/registrations/manage/**")

    # The confirmation, the check-in code, the joining link and the calendar file.
    registration = Registration.objects.get(email="vera@example.org")
    assert registration.status == "confirmed"
    assert page.get_by_text("Your seat is confirmed").is_visible()
    assert page.get_by_text(registration.code).is_visible()
    assert page.get_by_role("link", name=forum.online_url).is_visible()
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    with open(download_info.value.path(), "rb") as handle:
        (vevent,) = Calendar.from_ical(handle.read()).walk("VEVENT")
    assert vevent.decoded("dtstart") == forum.start
    assert vevent.decoded("dtend") == forum.end
    confirmation = [m for m in mail.outbox if m.to == ["vera@example.org"]][-1]
    assert confirmation.attachments and forum.online_url in confirmation.body

    # The forum is now full: a guest joins the waitlist after confirming by email.
    services.register(event=forum, name="Walt Waiting", email="walt@example.org")
    guest = page.context.new_page()
    guest.goto(_link(r"http://\S+/registrations/confirm/\S+/", "walt@example.org"))
    axe_check(guest)
    guest.get_by_role("button", name="Confirm my registration").click()
    guest.wait_for_url("**/registrations/manage/**")
    assert guest.get_by_text("You are on the waitlist (position 1)").is_visible()
    assert forum.online_url not in guest.content()
    axe_check(guest)

    # Vera cancels from "My registrations"; Walt is promoted and emailed.
    page.goto("/registrations/")
    axe_check(page)
    page.get_by_role("button", name=f"Cancel registration for {forum.title}").click()
    assert page.get_by_text("is cancelled").first.is_visible()
    assert Registration.objects.get(email="vera@example.org").status == "cancelled"
    walt = Registration.objects.get(email="walt@example.org")
    assert walt.status == "confirmed"
    promoted = [m for m in mail.outbox if m.to == ["walt@example.org"]][-1]
    assert "A seat is yours" in promoted.subject
    assert forum.online_url in promoted.body
    guest.reload()
    assert guest.get_by_text("Your seat is confirmed").is_visible()
    assert guest.get_by_role("link", name=forum.online_url).is_visible()


def test_webinar_page_plays_the_recording_with_captions(page, home_page, axe_check):
    events_seed.seed(io.StringIO())
    page.goto("/webinars/")
    axe_check(page)
    page.get_by_role("link", name="Micro-certification EOI webinar").click()
    page.wait_for_selector("video")
    axe_check(page)
    ready = page.evaluate(
        """() => new Promise(resolve => {
            const video = document.querySelector("video");
            const track = video.textTracks[0];
            track.mode = "showing";
            const check = () => track.cues && track.cues.length
                ? resolve({cues: track.cues.length, error: video.error})
                : setTimeout(check, 100);
            check();
        })"""
    )
    assert ready == {"cues": 3, "error": None}
    assert page.get_by_role("heading", name="Transcript").is_visible()
