"""iCalendar files for events (the icalendar library).

A calendar is written in the language being rendered (the address's, or the
registration's in an email): its fixed words are translated, its URLs are
that language's, and the events' own text is tagged with the language of the
page it comes from (RFC 5545 LANGUAGE).
"""

from datetime import UTC

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event, vText

from cms import languages


def _vevent(event, *, join_url=""):
    text = {"LANGUAGE": languages.of_page(event)}
    vevent = Event()
    vevent.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('://')[-1]}")
    vevent.add("dtstamp", timezone.now().astimezone(UTC))
    vevent.add("dtstart", event.start.astimezone(UTC))
    vevent.add("dtend", event.end.astimezone(UTC))
    vevent.add("summary", event.title, parameters=text)
    url = settings.SITE_URL + event.url if event.url else settings.SITE_URL
    vevent.add("url", url)
    description = [event.summary] if event.summary else []
    location = ", ".join(
        part for part in [event.venue, event.address.replace("\n", ", ")] if part
    )
    if join_url:
        description.append(gettext("Join online: %(url)s") % {"url": join_url})
        location = f"{location} / {join_url}" if location else join_url
    description.append(url)
    vevent.add("description", "\n\n".join(description), parameters=text)
    if location:
        vevent["location"] = vText(location)
    return vevent


def _calendar():
    cal = Calendar()
    language = languages.current()
    cal.add("prodid", f"-//Micro-certification//Events//{language.upper()}")
    cal.add("version", "2.0")
    return cal


def calendar_for_events(events, *, name):
    """A calendar of public event details: never the joining link."""
    cal = _calendar()
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(_vevent(event))
    return cal.to_ical()


def calendar_for_registration(registration, *, event=None):
    """The registrant's own calendar file; the joining link only once confirmed.

    `event` is the version of the registration's event to describe (its
    language's, cms.languages.localized); by default the one registered for.
    """
    event = event or registration.event
    join_url = event.online_url if registration.is_confirmed and event.is_online else ""
    cal = _calendar()
    cal.add_component(_vevent(event, join_url=join_url))
    return cal.to_ical()
