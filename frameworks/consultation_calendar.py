"""An iCalendar reminder of a consultation's closing date (the icalendar library)."""

from datetime import UTC, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event


def closing_reminder(consultation, request=None):
    """A one-hour event at the closing time, with an alarm a day before."""
    url = consultation.get_url(request)
    if url.startswith("/"):
        url = settings.SITE_URL + url
    title = f"{consultation.page.title} {consultation.version}"
    event = Event()
    host = settings.SITE_URL.split("://")[-1]
    event.add("uid", f"consultation-{consultation.pk}@{host}")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", (consultation.closes_at - timedelta(hours=1)).astimezone(UTC))
    event.add("dtend", consultation.closes_at.astimezone(UTC))
    event.add("summary", _("Consultation closes: %(title)s") % {"title": title})
    event.add("url", url)
    event.add("description", f"{consultation.introduction}\n\n{url}".strip())
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("Comments close tomorrow: %(title)s") % {"title": title})
    alarm.add("trigger", timedelta(days=-1))
    event.add_component(alarm)
    calendar = Calendar()
    calendar.add("prodid", "-//Micro-certification//Consultations//EN")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return calendar.to_ical()
