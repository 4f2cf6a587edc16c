from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events import services
from events.models import Registration

pytestmark = pytest.mark.django_db


def register(event, n, **kwargs):
    return services.register(
        event=event,
        name=f"Person {n}",
        email=f"person{n}@example.org",
        email_verified=True,
        **kwargs,
    )


def test_seats_are_confirmed_up_to_capacity_then_waitlisted(event):
    results = [register(event, n) for n in range(7)]
    assert [r.status for r in results] == ["confirmed"] * 5 + ["waitlisted"] * 2
    assert event.registrations.confirmed().count() == 5
    assert results[5].waitlist_position == 1
    assert results[6].waitlist_position == 2


def test_confirmation_email_has_ics_join_link_and_manage_link(
    event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, 1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["person1@example.org"]
    assert "confirmed" in message.body
    assert "https://meet.example.org/secret-join-room-42" in message.body
    assert registration.code in message.body
    assert registration.get_manage_url() in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics")
    assert mimetype == "text/calendar"


def test_waitlisted_person_gets_no_join_link(event, django_capture_on_commit_callbacks):
    for n in range(5):
        register(event, n)
    with django_capture_on_commit_callbacks(execute=True):
        register(event, 99)
    message = mail.outbox[-1]
    assert message.to == ["person99@example.org"]
    assert "waitlist" in message.body
    assert "secret-join-room-42" not in message.body
    assert message.attachments == []


def test_cancellation_promotes_the_first_waitlisted_and_emails_them(
    event, django_capture_on_commit_callbacks
):
    seated = [register(event, n) for n in range(5)]
    first = register(event, 10)
    second = register(event, 11)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration=seated[2])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "confirmed"
    assert second.status == "waitlisted"
    assert second.waitlist_position == 1
    assert event.registrations.confirmed().count() == 5
    promoted_mail = [m for m in mail.outbox if m.to == ["person10@example.org"]]
    assert len(promoted_mail) == 1
    assert "a seat" in promoted_mail[0].subject.lower()
    assert "secret-join-room-42" in promoted_mail[0].body
    assert promoted_mail[0].attachments
    assert not [m for m in mail.outbox if m.to == ["person11@example.org"]]
    assert [m for m in mail.outbox if m.to == ["person2@example.org"]]


def test_cancelling_a_waitlisted_registration_promotes_nobody(event):
    for n in range(5):
        register(event, n)
    first = register(event, 10)
    second = register(event, 11)
    services.cancel(registration=first)
    second.refresh_from_db()
    assert second.status == "waitlisted"
    assert event.registrations.confirmed().count() == 5


def test_duplicate_registration_gets_a_clear_message_and_no_second_seat(event):
    register(event, 1)
    with pytest.raises(services.DuplicateRegistration) as excinfo:
        services.register(
            event=event, name="Again", email="PERSON1@example.org", email_verified=True
        )
    assert "already registered" in str(excinfo.value.message)
    assert event.registrations.count() == 1


def test_can_register_again_after_cancelling(event):
    first = register(event, 1)
    services.cancel(registration=first)
    again = register(event, 1)
    assert again.status == "confirmed"
    assert event.registrations.count() == 2


def test_registration_not_yet_open(make_event):
    event = make_event(registration_opens=timezone.now() + timedelta(days=2))
    with pytest.raises(services.RegistrationNotYetOpen):
        register(event, 1)
    assert event.registrations.count() == 0


def test_registration_closed(make_event):
    event = make_event(registration_closes=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.RegistrationClosed):
        register(event, 1)
    assert event.registrations.count() == 0


def test_guest_waits_for_email_confirmation_before_taking_a_seat(
    make_event, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        guest = services.register(
            event=event, name="Gil Guest", email="gil@example.org"
        )
    assert guest.status == "pending"
    assert event.registrations.confirmed().count() == 0
    assert "confirm" in mail.outbox[0].subject.lower()
    assert "secret-join-room-42" not in mail.outbox[0].body
    register(event, 1)  # a member takes the only seat meanwhile
    guest = services.confirm_guest(registration=guest)
    assert guest.status == "waitlisted"


def test_staff_raising_capacity_promotes_the_waitlist(
    make_event, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2)
    for n in range(4):
        register(event, n)
    event.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    statuses = list(
        Registration.objects.filter(event=event)
        .order_by("pk")
        .values_list("status", flat=True)
    )
    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    assert [m.to for m in mail.outbox] == [["person2@example.org"]]


def test_staff_lowering_capacity_keeps_seats_and_waitlists_newcomers(make_event):
    event = make_event(capacity=3)
    for n in range(3):
        register(event, n)
    event.capacity = 2
    event.save_revision().publish()
    assert event.registrations.confirmed().count() == 3
    assert register(event, 9).status == "waitlisted"


def test_manual_promotion_needs_a_free_seat(make_event, staff):
    event = make_event(capacity=1, waitlist_auto_promote=False)
    seated = register(event, 1)
    waiting = register(event, 2)
    with pytest.raises(services.NoSeatFree):
        services.promote(registration=waiting, actor=staff)
    services.cancel(registration=seated, actor=staff)
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"  # auto-promotion is off for this event
    services.promote(registration=waiting, actor=staff)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert waiting.log.filter(action="promoted", actor=staff).exists()


def test_check_in_by_code(event, staff):
    registration = register(event, 1)
    checked = services.check_in(
        event=event, code=registration.code.lower(), actor=staff
    )
    assert checked.checked_in_at is not None
    with pytest.raises(services.InvalidTransition):
        services.check_in(event=event, code=registration.code, actor=staff)
    with pytest.raises(services.RegistrationError):
        services.check_in(event=event, code="NOPE1234", actor=staff)


def test_deleting_a_seated_registration_frees_the_seat_for_the_waitlist(
    make_event, user, django_capture_on_commit_callbacks
):
    """E.g. when a member deletes their account, their registrations go too."""
    from community.services import delete_account

    event = make_event(capacity=1)
    services.register(
        event=event, user=user, name="Mira", email=user.email, email_verified=True
    )
    waiting = register(event, 2)
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=user)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert [m.to for m in mail.outbox if "seat" in m.subject.lower()] == [
        ["person2@example.org"]
    ]


def test_deleting_an_event_with_registrations_works(
    event, django_capture_on_commit_callbacks
):
    register(event, 1)
    register(event, 2)
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    assert Registration.objects.count() == 0


def test_guest_registering_twice_gets_the_link_again_and_no_second_row(
    event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event=event, name="Gil", email="gil@example.org")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.DuplicateRegistration) as excinfo,
    ):
        services.register(event=event, name="Gil", email="GIL@example.org")
    assert "sent the confirmation link again" in str(excinfo.value.message)
    assert event.registrations.count() == 1
    assert [m.to for m in mail.outbox] == [["gil@example.org"]] * 2
    assert all("confirm" in m.subject.lower() for m in mail.outbox)


def test_unconfirmed_guest_who_signs_in_is_seated_by_registering(event, user):
    pending = services.register(event=event, name="Mira", email=user.email)
    seated = services.register(
        event=event, user=user, name="Mira", email=user.email, email_verified=True
    )
    assert seated.pk == pending.pk
    assert seated.status == "confirmed"
    assert seated.user == user
    assert event.registrations.count() == 1
