"""iCalendar files for events (the icalendar library)."""

from datetime import UTC

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText


def _vevent(event, *, join_url=""):
    vevent = Event()
    vevent.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('://')[-1]}")
    vevent.add("dtstamp", timezone.now().astimezone(UTC))
    vevent.add("dtstart", event.start.astimezone(UTC))
    vevent.add("dtend", event.end.astimezone(UTC))
    vevent.add("summary", event.title)
    url = settings.SITE_URL + event.url if event.url else settings.SITE_URL
    vevent.add("url", url)
    description = [event.summary] if event.summary else []
    location = ", ".join(
        part for part in [event.venue, event.address.replace("\n", ", ")] if part
    )
    if join_url:
        description.append(f"Join online: {join_url}")
        location = f"{location} / {join_url}" if location else join_url
    description.append(url)
    vevent.add("description", "\n\n".join(description))
    if location:
        vevent["location"] = vText(location)
    return vevent


def calendar_for_events(events, *, name):
    """A calendar of public event details: never the joining link."""
    cal = Calendar()
    cal.add("prodid", "-//Micro-certification//Events//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(_vevent(event))
    return cal.to_ical()


def calendar_for_registration(registration):
    """The registrant's own calendar file; the joining link only once confirmed."""
    event = registration.event
    join_url = event.online_url if registration.is_confirmed and event.is_online else ""
    cal = Calendar()
    cal.add("prodid", "-//Micro-certification//Events//EN")
    cal.add("version", "2.0")
    cal.add_component(_vevent(event, join_url=join_url))
    return cal.to_ical()
