"""Query budgets of event and webinar pages (see tests/budget.py)."""

import io
from datetime import timedelta

import pytest

from events import seed as events_seed
from events import services
from events.models import AgendaSession, Speaker, WebinarPage
from tests.budget import assert_within

pytestmark = pytest.mark.django_db

# (warm, cold) for an anonymous visitor and for a signed-in member.
EVENT_PAGE = {False: (3, 15), True: (6, 19)}
WEBINAR_PAGE = {False: (5, 14), True: (7, 17)}


@pytest.mark.parametrize("signed_in", [False, True])
def test_event_page_with_5_and_50_sessions_speakers_and_registrations(
    client, make_event, member, signed_in
):
    event = make_event(capacity=100)
    if signed_in:
        services.register(
            event=event,
            name="Mira Member",
            email=member.email,
            user=member,
            email_verified=True,
        )
        client.force_login(member)

    def grow(start, stop):
        for number in range(start, stop):
            speaker = Speaker.objects.create(name=f"Speaker {number}")
            event.speakers.add(speaker)
            session = AgendaSession.objects.create(
                event=event,
                title=f"Session {number}",
                start=event.start + timedelta(minutes=number),
                room=f"Room {number}",
            )
            session.speakers.add(speaker)
            services.register(
                event=event,
                name=f"Person {number}",
                email=f"p{number}@example.org",
                email_verified=True,
            )

    def check(html, rows):
        assert html.count('<th scope="row"') == rows

    warm, cold = EVENT_PAGE[signed_in]
    assert_within(client, event.url, warm, cold=cold, grow=grow, check=check)


@pytest.mark.parametrize("signed_in", [False, True])
def test_webinar_page_with_5_and_50_presenters(client, home_page, member, signed_in):
    events_seed.seed(io.StringIO())
    webinar = WebinarPage.objects.get()
    presenters = WebinarPage.presenters.through.objects
    presenters.filter(webinarpage=webinar).delete()

    def grow(start, stop):
        for number in range(start, stop):
            speaker = Speaker.objects.create(name=f"Presenter {number}")
            presenters.create(webinarpage=webinar, speaker=speaker)

    def check(html, rows):
        assert html.count("Presenter ") == rows

    if signed_in:
        client.force_login(member)
    warm, cold = WEBINAR_PAGE[signed_in]
    assert_within(client, webinar.url, warm, cold=cold, grow=grow, check=check)
