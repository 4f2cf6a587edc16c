"""Who may see which registrations and events: the one place that decides it."""

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.query import PageQuerySet


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=self.model.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=self.model.Status.WAITLISTED)

    def active(self):
        """Registrations that hold a seat, a waitlist place or a pending guest claim."""
        return self.exclude(status=self.model.Status.CANCELLED)

    def waitlist_order(self):
        """The waitlist, first come first served."""
        return self.waitlisted().order_by("waitlisted_at", "pk")

    def visible_to(self, user):
        """A member sees only their own registrations; staff see every one."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff or user.is_superuser:
            return self
        return self.filter(user=user)

    def search(self, query):
        query = (query or "").strip()
        if not query:
            return self
        return self.filter(
            Q(name__icontains=query)
            | Q(email__icontains=query)
            | Q(organisation__icontains=query)
            | Q(code__iexact=query)
        )


class EventQuerySet(PageQuerySet):
    """Filters for event pages; applied to `EventPage.objects`."""

    def with_seat_counts(self):
        """Annotate confirmed and waitlisted counts in the same query."""
        return self.annotate(
            confirmed_count=Count(
                "registrations",
                filter=Q(registrations__status="confirmed"),
                distinct=True,
            ),
            waitlisted_count=Count(
                "registrations",
                filter=Q(registrations__status="waitlisted"),
                distinct=True,
            ),
        )

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start")
