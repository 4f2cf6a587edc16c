"""Event pages behind the shared HTTP cache, as visitors notice it.

Registrations change the seats left and the state that event pages and the
listing show, and nothing else: they purge those pages only, and the rest of
the site stays cached while the forum fills. A page whose state changes by
itself (registration opens or closes) is never kept past that moment.
"""

import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events import services
from events.models import Registration

pytestmark = pytest.mark.django_db


def _visit(url):
    response = Client().get(url)
    assert response.status_code == 200
    return response


def _s_maxage(response):
    return int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))


def _register(event, n):
    return services.register(
        event=event, name=f"P {n}", email=f"p{n}@example.org", email_verified=True
    )


def test_the_listing_and_event_pages_are_tagged_with_the_events(make_event):
    event = make_event(registration_opens=timezone.now() + timedelta(days=1))
    listing = _visit("/events/")
    assert "public" in listing["Cache-Control"]
    assert "events" in listing["xkey"].split()
    page = _visit(event.url)
    assert {"events", f"event-{event.pk}", f"page-{event.pk}"} <= set(
        page["xkey"].split()
    )


def test_a_registration_purges_the_event_and_the_listing(
    make_event, purges, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        _register(event, 1)
    assert {"events", f"event-{event.pk}"} <= purges.tags()
    assert "all" not in purges.tags()
    html = _visit("/events/").content.decode()
    assert "Waitlist only" in html and "Registration open" not in html


def test_a_cancellation_purges_the_event(
    make_event, purges, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    registration = _register(event, 1)
    purges.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration=registration)
    assert f"event-{event.pk}" in purges.tags()
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"


def test_registration_opening_is_never_kept_past_that_moment(make_event):
    opens = timezone.now() + timedelta(seconds=2)
    event = make_event(registration_opens=opens)

    for url in (event.url, "/events/"):
        first = _visit(url)
        assert "Registration not yet open" in first.content.decode()
        assert _s_maxage(first) <= 2

    time.sleep(max(0, (opens - timezone.now()).total_seconds()) + 0.1)

    page = _visit(event.url).content.decode()
    assert "Registration not yet open" not in page
    assert 'name="csrfmiddlewaretoken"' in page  # the registration form
    assert "Registration open" in _visit("/events/").content.decode()


def test_an_event_whose_registration_is_over_is_kept_the_usual_time(
    make_event, settings
):
    event = make_event(
        start=timezone.now() - timedelta(days=2),
        end=timezone.now() - timedelta(days=1),
        registration_opens=timezone.now() - timedelta(days=9),
        registration_closes=timezone.now() - timedelta(days=3),
    )
    assert event.next_state_change() is None
    assert _s_maxage(_visit(event.url)) == settings.CACHE_S_MAXAGE


def test_the_calendar_feed_is_public_and_follows_the_events(make_event):
    make_event()
    feed = Client().get("/events/feed.ics")
    assert feed.status_code == 200
    assert "public" in feed["Cache-Control"]
    assert {"events", "pages"} <= set(feed["xkey"].split())
