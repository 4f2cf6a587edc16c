from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published

from .models import EventPage, Registration


@receiver(page_published, sender=EventPage)
def seat_waitlist_after_capacity_change(sender, instance, revision=None, **kwargs):
    """When staff publish a larger capacity, the waitlist moves up at once."""
    from .services import fill_from_waitlist

    user = getattr(revision, "user", None) if revision is not None else None
    sync_translations_seats(instance)
    fill_from_waitlist(event=instance.seat_event, actor=user)


def sync_translations_seats(event):
    """The event's translations take its dates, capacity and registration
    period when its default-language page is published: one event, one set of
    seats, whatever language's page a visitor reads."""
    if event.seat_event.pk != event.pk:
        return
    EventPage.objects.filter(translation_key=event.translation_key).exclude(
        pk=event.pk
    ).update(**{name: getattr(event, name) for name in EventPage.SEAT_FIELDS})


@receiver(post_delete, sender=Registration)
def seat_waitlist_after_deletion(sender, instance, **kwargs):
    """A seated registration deleted outright (e.g. with its member's account)
    frees its seat just as a cancellation does."""
    if instance.status != Registration.Status.CONFIRMED:
        return
    event_id = instance.event_id

    def promote():
        from .services import fill_from_waitlist

        event = EventPage.objects.filter(pk=event_id).first()
        if event is not None:
            fill_from_waitlist(event=event)

    transaction.on_commit(promote)
