"""Who may see which framework pages, versions and documents.

Pages, the feed, the sitemap, search and the API all ask these methods, so the
rule lives in one place: the public sees live pages without view restrictions,
and the documents of collections without view restrictions. Drafts are read
only in the admin, where Wagtail's own permissions apply.
"""

from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import Collection, CollectionViewRestriction, PageManager
from wagtail.query import PageQuerySet


class FrameworkPageQuerySet(PageQuerySet):
    def visible_to(self, user):
        """Live pages this user may read on the public site."""
        queryset = self.live()
        if user is not None and user.is_superuser:
            return queryset
        return queryset.public()


FrameworkPageManager = PageManager.from_queryset(FrameworkPageQuerySet)


class FrameworkVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published versions of the pages this user may read."""
        from .models import FrameworkPage

        return self.filter(page__in=FrameworkPage.objects.visible_to(user).values("pk"))


def restricted_collections_for(user):
    """Collections whose documents this user may not download.

    A restriction on a collection also covers its descendants. One subquery,
    not a read of the restrictions first: lists and search filter by it on
    every request.
    """
    if user is not None and user.is_superuser:
        return Collection.objects.none()
    restrictions = CollectionViewRestriction.objects.filter(
        collection__path=Substr(OuterRef("path"), 1, Length("collection__path"))
    )
    if user is not None and user.is_authenticated:
        restrictions = restrictions.exclude(
            restriction_type=CollectionViewRestriction.LOGIN
        ).exclude(
            restriction_type=CollectionViewRestriction.GROUPS,
            groups__in=user.groups.all(),
        )
    return Collection.objects.filter(Exists(restrictions))


def documents_visible_to(user, queryset=None):
    """Wagtail documents this user may download (for search and listings)."""
    from wagtail.documents import get_document_model

    if queryset is None:
        queryset = get_document_model().objects.all()
    return queryset.exclude(
        collection__in=restricted_collections_for(user).values("pk")
    )
