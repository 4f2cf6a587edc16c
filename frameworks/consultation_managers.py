"""Who may see which consultations, clauses and comments.

The one place that decides, for the consultation pages, search, the feed and
the API alike. A consultation is public from its opening date when its
framework page has no view restriction; a draft with no consultation (or one
not yet open) is never readable outside the admin. Comments are public once
published; a held comment is seen by its author and the moderators only.
"""

from django.db import models
from django.utils import timezone

from community.managers import MODERATOR_ANSWER


def can_moderate(user):
    """Staff and community moderators (`community.moderate_post`, given to the
    user or a group) see held and hidden comments. One query at most, kept on
    the user object for the rest of the request."""
    from django.contrib.auth.models import Permission

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if MODERATOR_ANSWER in user.__dict__:
        # Read with the two-factor gate's one query this request.
        return user.__dict__[MODERATOR_ANSWER]
    if not hasattr(user, "_can_moderate_consultations"):
        user._can_moderate_consultations = (
            Permission.objects.filter(
                content_type__app_label="community", codename="moderate_post"
            )
            .filter(models.Q(user=user) | models.Q(group__user=user))
            .exists()
        )
    return user._can_moderate_consultations


class ConsultationQuerySet(models.QuerySet):
    def announced_to(self, user):
        """Consultations whose page may be shown to this user, whatever the dates:
        no view restriction on the page or an ancestor, read in the same query
        (Wagtail's `public()` reads the restrictions first, one query more
        wherever this is asked: lists, the API, site search)."""
        from django.db.models.functions import Length, Substr
        from wagtail.models import PageViewRestriction

        if user is not None and user.is_superuser:
            return self
        restricted = PageViewRestriction.objects.filter(
            page__path=Substr(models.OuterRef("page__path"), 1, Length("page__path"))
        )
        return self.exclude(models.Exists(restricted))

    def visible_to(self, user, now=None):
        """Consultations this user may read: open or closed, not upcoming."""
        return self.announced_to(user).filter(opens_at__lte=now or timezone.now())

    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)


class ClauseQuerySet(models.QuerySet):
    def current(self):
        """The clauses of the draft as it reads now, in reading order."""
        return self.filter(is_current=True, removed_at__isnull=True).order_by(
            "position"
        )


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comments this user may read: published ones of readable consultations,
        plus their own held comments; moderators see held and hidden ones too."""
        from .consultation_models import Consultation

        queryset = self.filter(
            consultation__in=Consultation.objects.visible_to(user).values("pk")
        )
        return queryset.readable_by(user)

    def readable_by(self, user):
        """Within a consultation already found readable (the consultation pages)."""
        if can_moderate(user):
            return self
        published = models.Q(status="published")
        if user is not None and user.is_authenticated:
            published |= models.Q(status="held", author=user)
        return self.filter(published)

    def public(self):
        return self.visible_to(None)
