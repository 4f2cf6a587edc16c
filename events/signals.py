from django.dispatch import receiver
from wagtail.signals import page_published

from .models import EventPage


@receiver(page_published, sender=EventPage)
def seat_waitlist_after_capacity_change(sender, instance, revision=None, **kwargs):
    """When staff publish a larger capacity, the waitlist moves up at once."""
    from .services import fill_from_waitlist

    user = getattr(revision, "user", None) if revision is not None else None
    fill_from_waitlist(event=instance, actor=user)
