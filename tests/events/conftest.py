from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import EventIndexPage, EventPage


@pytest.fixture
def event_index(home_page):
    index = home_page.get_children().filter(slug="events").first()
    if index is not None:
        return index.specific
    index = EventIndexPage(title="Events", slug="events", show_in_menus=True)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def make_event(event_index):
    """An event with open registration, starting in 30 days; override any field."""
    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        now = timezone.now().replace(second=0, microsecond=0)
        defaults = {
            "title": f"Forum {counter['n']}",
            "slug": f"forum-{counter['n']}",
            "start": now + timedelta(days=30),
            "end": now + timedelta(days=30, hours=8),
            "event_format": EventPage.Format.HYBRID,
            "venue": "Toronto Reference Library",
            "online_url": "https://meet.example.org/secret-join-room-42",
            "capacity": 5,
            "registration_opens": now - timedelta(days=1),
            "registration_closes": now + timedelta(days=20),
        }
        defaults.update(fields)
        event = EventPage(**defaults)
        event_index.add_child(instance=event)
        event.save_revision().publish()
        return EventPage.objects.get(pk=event.pk)

    return make


@pytest.fixture
def event(make_event):
    return make_event()
