"""Emails about registrations, sent in the background after the change commits."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from .calendar import calendar_for_registration
from .models import EventPage, Registration

SUBJECTS = {
    "pending": _("Confirm your registration for %(event)s"),
    "confirmed": _("You are registered for %(event)s"),
    "promoted": _("A seat is yours: %(event)s"),
    "waitlisted": _("You are on the waitlist for %(event)s"),
    "cancelled": _("Your registration for %(event)s is cancelled"),
    "already_registered": _("You are already registered for %(event)s"),
}


def registration_email(registration, kind):
    """Build the email for this registration; the joining link only if seated."""
    from .signing import confirm_token

    event = registration.event
    seated = registration.is_confirmed and kind in {"confirmed", "promoted"}
    context = {
        "registration": registration,
        "event": event,
        "kind": kind,
        "site_url": settings.SITE_URL,
        "event_url": settings.SITE_URL + (event.url or "/"),
        "manage_url": settings.SITE_URL + registration.get_manage_url(),
        "join_url": event.online_url if seated and event.is_online else "",
    }
    if kind == "pending":
        from django.urls import reverse

        context["confirm_url"] = settings.SITE_URL + reverse(
            "events:confirm", args=[confirm_token(registration)]
        )
    message = EmailMessage(
        subject=str(SUBJECTS[kind]) % {"event": event.title},
        body=render_to_string("events/email/registration.txt", context),
        to=[registration.email],
    )
    if seated:
        message.attach(
            f"{event.slug}.ics",
            calendar_for_registration(registration),
            "text/calendar",
        )
    return message


@task()
def send_registration_email(registration_id, kind):
    registration = (
        Registration.objects.select_related("event").filter(pk=registration_id).first()
    )
    if registration is None or kind not in SUBJECTS:
        return
    with translation.override(settings.LANGUAGE_CODE):
        registration_email(registration, kind).send()


@task()
def send_attendee_message(event_id, subject, body):
    """Staff's message to every confirmed attendee, one email each (no shared To)."""
    event = EventPage.objects.get(pk=event_id)
    recipients = list(
        Registration.objects.confirmed()
        .filter(event=event)
        .values_list("email", flat=True)
    )
    with get_connection() as connection:
        for email in recipients:
            EmailMessage(
                subject=subject, body=body, to=[email], connection=connection
            ).send()
    return len(recipients)
