"""Who may see which registrations and events: the one place that decides it."""

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
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

    def of_event(self, event):
        """The registrations of the event in every language (its translations)."""
        return self.filter(event__translation_key=event.translation_key)

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
        """Annotate confirmed and waitlisted counts in the same query.

        An event's translations share its seats (see `EventPage.seat_event`):
        the counts are those of every language's page of the event.
        """
        from .models import Registration

        def count(status):
            rows = (
                Registration.objects.filter(
                    event__translation_key=OuterRef("translation_key"),
                    status=status,
                )
                .order_by()
                .values("event__translation_key")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(rows[:1]), 0)

        return self.annotate(
            confirmed_count=count("confirmed"), waitlisted_count=count("waitlisted")
        )

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start")
