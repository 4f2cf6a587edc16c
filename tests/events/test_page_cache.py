"""Event pages in the shared page cache, as visitors notice it.

Registrations change the seats left and the state that event pages and the
listing show, and nothing else: the rest of the site stays cached while the
forum fills. A page whose state changes by itself (registration opens or
closes) is never served from a copy made before that moment.
"""

import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events import services

pytestmark = pytest.mark.django_db


def _visit(url):
    response = Client().get(url)
    assert response.status_code == 200
    return response


def _register(event, n):
    return services.register(
        event=event, name=f"P {n}", email=f"p{n}@example.org", email_verified=True
    )


def test_registrations_leave_the_rest_of_the_site_cached(make_event):
    event = make_event(capacity=1)
    _visit("/")
    _visit("/events/")
    assert _visit("/events/")["X-Page-Cache"] == "hit"

    _register(event, 1)

    assert _visit("/")["X-Page-Cache"] == "hit"
    listing = _visit("/events/")
    assert listing["X-Page-Cache"] == "miss"
    html = listing.content.decode()
    assert "Waitlist only" in html and "Registration open" not in html


def test_registration_opening_reaches_visitors_at_that_moment(make_event):
    opens = timezone.now() + timedelta(seconds=2)
    event = make_event(registration_opens=opens)

    for url in (event.url, "/events/"):
        first = _visit(url)
        assert "Registration not yet open" in first.content.decode()
        assert _visit(url)["X-Page-Cache"] == "hit"
        # Shared proxies may not keep it past the opening either.
        s_maxage = int(re.search(r"s-maxage=(\d+)", first["Cache-Control"]).group(1))
        assert s_maxage <= 2

    time.sleep(max(0, (opens - timezone.now()).total_seconds()) + 0.1)

    page = _visit(event.url).content.decode()
    assert "Registration not yet open" not in page
    assert 'name="csrfmiddlewaretoken"' in page  # the registration form
    assert "Registration open" in _visit("/events/").content.decode()


def test_an_event_whose_registration_is_over_stays_cached(make_event):
    event = make_event(
        start=timezone.now() - timedelta(days=2),
        end=timezone.now() - timedelta(days=1),
        registration_opens=timezone.now() - timedelta(days=9),
        registration_closes=timezone.now() - timedelta(days=3),
    )
    assert event.next_state_change() is None
    _visit(event.url)
    assert _visit(event.url)["X-Page-Cache"] == "hit"
