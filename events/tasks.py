"""Emails about registrations, sent in the background after the change commits.

Each is written in the registration's language (the language of the page it
was made on), with links to that language's pages (cms.languages).
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from cms import languages

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
    """Build the email for this registration; the joining link only if seated.

    Call it inside `languages.in_language(registration.language)`: the event
    is the registration's language's version of it, when there is one.
    """
    from .signing import confirm_token

    event = languages.localized(registration.event, languages.current())
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
        context["confirm_url"] = settings.SITE_URL + reverse(
            "events:confirm", args=[confirm_token(registration)]
        )
    message = EmailMessage(
        subject=str(SUBJECTS[kind]) % {"event": event.title},
        body=render_to_string("events/email/registration.txt", context),
        to=[registration.email],
        headers={"Content-Language": languages.current()},
    )
    if seated:
        message.attach(
            f"{event.slug}.ics",
            calendar_for_registration(registration, event=event),
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
    with languages.in_language(registration.language):
        registration_email(registration, kind).send()


def _attendee_footer(registration, event):
    return "\n\n-- \n" + gettext(
        "You receive this email because you are registered for %(event)s. "
        "View or cancel your registration: %(url)s"
    ) % {
        "event": event.title,
        "url": settings.SITE_URL + registration.get_manage_url(),
    }


@task()
def send_attendee_message(event_id, subject, body):
    """Staff's message to every confirmed attendee, one email each (no shared
    To), with a note in each attendee's language on why they receive it."""
    event = EventPage.objects.get(pk=event_id)
    recipients = list(
        Registration.objects.confirmed()
        .filter(event=event)
        .only("pk", "code", "email", "language")
    )
    versions = {}
    with get_connection() as connection:
        for registration in recipients:
            language = languages.supported(registration.language)
            with languages.in_language(language):
                if language not in versions:
                    versions[language] = languages.localized(event, language)
                EmailMessage(
                    subject=subject,
                    body=body + _attendee_footer(registration, versions[language]),
                    to=[registration.email],
                    connection=connection,
                    headers={"Content-Language": language},
                ).send()
    return len(recipients)
