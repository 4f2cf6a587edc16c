"""Registering, confirming, cancelling and promoting: every seat change is here.

Seat allocation follows pretix's `base/services/locking.py`: each change runs in
one transaction that first takes a row lock on the event (SELECT ... FOR UPDATE),
so the count of confirmed seats it reads cannot change until it commits. On
PostgreSQL the lock wait is bounded by `lock_timeout`; a request that cannot get
the lock in time gets `EventBusy` ("try again") instead of queueing forever.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms import languages

from .models import EventPage, Registration, RegistrationLog

# Called between reading the seat count and writing the registration, when set.
# Only tests set it (to a short sleep), so that a race is reliably visible.
before_allocate_hook = None


class RegistrationError(Exception):
    """A registration could not be changed; `message` is safe to show the user."""

    default_message = _("Your registration could not be completed.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class DuplicateRegistration(RegistrationError):
    default_message = _(
        "This email address is already registered for this event. Check your "
        "inbox for the confirmation, or see “My registrations”."
    )


class RegistrationClosed(RegistrationError):
    default_message = _("Registration for this event is closed.")


class RegistrationNotYetOpen(RegistrationError):
    default_message = _("Registration for this event has not opened yet.")


class EventBusy(RegistrationError):
    default_message = _(
        "Many people are registering right now and we could not save yours. "
        "Nothing was changed; please try again in a few seconds."
    )


class NoSeatFree(RegistrationError):
    default_message = _(
        "No seat is free. Raise the capacity or cancel a registration first."
    )


class InvalidTransition(RegistrationError):
    default_message = _("This registration cannot be changed that way.")


def _lock_timeout():
    return getattr(settings, "EVENTS_LOCK_TIMEOUT", "3s")


@contextmanager
def _locked_event(event_id, *, lock=True):
    """Open a transaction holding the row lock on the event's capacity.

    `lock=False` exists only so the concurrency test can show what happens
    without it (overselling); nothing else passes it.
    """
    try:
        with transaction.atomic():
            if lock and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('lock_timeout', %s, true)",
                        [_lock_timeout()],
                    )
            queryset = EventPage.objects.all()
            if lock:
                # Lock only the event's own row, not Wagtail's page row.
                queryset = queryset.select_for_update(of=("self",))
            event = queryset.get(pk=event_id)
            yield event
    except OperationalError as exc:
        raise EventBusy() from exc


def _log(registration, action, actor=None, note=""):
    RegistrationLog.objects.create(
        registration=registration,
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note,
    )


def _send_email(registration, kind):
    from .tasks import send_registration_email

    pk = registration.pk
    transaction.on_commit(lambda: send_registration_email.enqueue(pk, kind))


def _check_open(event, now):
    if event.registration_opens and now < event.registration_opens:
        raise RegistrationNotYetOpen()
    if now >= event.effective_closes or event.end < now:
        raise RegistrationClosed()


def _allocate(event, registration, now):
    """Seat the registration if one is free, else put it on the waitlist.

    Must run inside `_locked_event` for the same event.
    """
    taken = Registration.objects.confirmed().filter(event=event).count()
    if before_allocate_hook is not None:
        before_allocate_hook()
    if taken < event.capacity:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
    else:
        registration.status = Registration.Status.WAITLISTED
        registration.waitlisted_at = now


def register(
    *,
    event,
    name,
    email,
    user=None,
    email_verified=False,
    organisation="",
    sector="",
    role="",
    accommodations="",
    dietary="",
    language=None,
    lock=True,
):
    """Register someone for an event and return the registration.

    A signed-in member with a verified email is seated (or waitlisted) at once.
    A guest's registration waits in "pending" until they follow the emailed
    link (`confirm_guest`); only then do they take a seat.

    `event` may be any language's page of the event: the registration is
    held by its `seat_event`, whose row is locked and whose seats are counted.

    A guest who gives an address already registered changes nothing: the
    address's owner is emailed (a fresh confirmation link, or a note that they
    are already registered) and `DuplicateRegistration` is raised, which the
    guest form answers exactly as it answers a new registration.

    `language` (the page's, by default the site's) is the language of every
    email about this registration, however much later it is sent.
    """
    email = email.strip().lower()
    now = timezone.now()
    user = user if user is not None and user.is_authenticated else None
    # A registration on a translation of the event takes a seat of the event.
    event = event.seat_event
    unconfirmed = None
    already_registered = None
    try:
        with _locked_event(event.pk, lock=lock) as locked:
            _check_open(locked, now)
            existing = (
                Registration.objects.active()
                .filter(event=locked, email=email)
                .select_for_update()
                .first()
            )
            if existing is not None and existing.status != Registration.Status.PENDING:
                if user is not None or email_verified:
                    raise DuplicateRegistration()
                already_registered = registration = existing
            elif existing is not None and not email_verified:
                unconfirmed = existing
                registration = existing
            elif existing is not None:
                # A guest who never confirmed signs in and registers: their
                # address is verified now, so the pending registration is seated.
                registration = existing
                registration.user = user
                _allocate(locked, registration, now)
                registration.save()
                _log(registration, "registered", user, registration.status)
                _send_email(registration, registration.status)
            else:
                registration = Registration(
                    event=locked,
                    user=user,
                    name=name.strip(),
                    email=email,
                    organisation=organisation,
                    sector=sector,
                    role=role,
                    accommodations=accommodations,
                    dietary=dietary,
                    language=languages.supported(language),
                    created_at=now,
                )
                if email_verified:
                    _allocate(locked, registration, now)
                else:
                    registration.status = Registration.Status.PENDING
                registration.save()
                _log(registration, "registered", user, registration.status)
                _send_email(registration, registration.status)
    except IntegrityError as exc:
        # The unique constraint is the last line of defence when the lock is off.
        raise DuplicateRegistration() from exc
    if already_registered is not None:
        # Tell the address's owner, not the visitor (the guest form's answer
        # is the same as for a new address).
        with transaction.atomic():
            _send_email(already_registered, "already_registered")
        raise DuplicateRegistration()
    if unconfirmed is not None:
        # The first link may be lost or expired: send a fresh one, change nothing.
        with transaction.atomic():
            _send_email(unconfirmed, "pending")
        raise DuplicateRegistration(
            _(
                "This email address is already registered but not yet confirmed. "
                "We have sent the confirmation link again; please check your inbox."
            )
        )
    registration.event = event
    return registration


def confirm_guest(*, registration):
    """A guest followed their emailed link: take a seat or join the waitlist."""
    now = timezone.now()
    with _locked_event(registration.event_id) as locked:
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != Registration.Status.PENDING:
            return current
        _check_open(locked, now)
        _allocate(locked, current, now)
        current.save()
        _log(current, "email_confirmed", None, current.status)
        _send_email(current, current.status)
    return current


def _promote_waitlisted(event, now, actor=None):
    """Seat waitlisted people in order while seats are free; return them."""
    taken = Registration.objects.confirmed().filter(event=event).count()
    free = event.capacity - taken
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.waitlist_order()
        .filter(event=event)
        .select_for_update()[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        _log(registration, "promoted", actor, "waitlist")
        _send_email(registration, "promoted")
    return promoted


def cancel(*, registration, actor=None):
    """Cancel a registration; a freed seat goes to the first on the waitlist."""
    now = timezone.now()
    with _locked_event(registration.event_id) as locked:
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            raise InvalidTransition(_("This registration is already cancelled."))
        held_seat = current.status == Registration.Status.CONFIRMED
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at"])
        _log(current, "cancelled", actor)
        _send_email(current, "cancelled")
        if held_seat and locked.waitlist_auto_promote and locked.end >= now:
            _promote_waitlisted(locked, now)
    return current


def promote(*, registration, actor):
    """Staff seat a particular waitlisted person by hand, if a seat is free."""
    now = timezone.now()
    with _locked_event(registration.event_id) as locked:
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != Registration.Status.WAITLISTED:
            raise InvalidTransition(_("Only waitlisted registrations can be promoted."))
        taken = Registration.objects.confirmed().filter(event=locked).count()
        if taken >= locked.capacity:
            raise NoSeatFree()
        current.status = Registration.Status.CONFIRMED
        current.confirmed_at = now
        current.save(update_fields=["status", "confirmed_at"])
        _log(current, "promoted", actor, "by hand")
        _send_email(current, "promoted")
    return current


def fill_from_waitlist(*, event, actor=None):
    """Seat waitlisted people after the capacity grew; returns who was promoted."""
    now = timezone.now()
    with _locked_event(event.pk) as locked:
        if not locked.waitlist_auto_promote or locked.end < now:
            return []
        return _promote_waitlisted(locked, now, actor)


def check_in(*, event, code, actor):
    """Mark a confirmed attendee as arrived, found by their confirmation code."""
    code = (code or "").strip().upper()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(event=event, code=code)
            .first()
        )
        if registration is None:
            raise RegistrationError(_("No registration for this event has that code."))
        if registration.status != Registration.Status.CONFIRMED:
            raise InvalidTransition(
                _("%(name)s is not confirmed (%(status)s).")
                % {
                    "name": registration.name,
                    "status": registration.get_status_display(),
                }
            )
        if registration.checked_in_at:
            raise InvalidTransition(
                _("%(name)s is already checked in.") % {"name": registration.name}
            )
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at"])
        _log(registration, "checked_in", actor)
    return registration


def email_attendees(*, event, subject, body, actor):
    """Email every confirmed attendee (in the background); returns how many."""
    from .tasks import send_attendee_message

    count = Registration.objects.confirmed().filter(event=event).count()
    event_id = event.pk
    with transaction.atomic():
        transaction.on_commit(
            lambda: send_attendee_message.enqueue(event_id, subject, body)
        )
    return count
