"""Who may see which catalogue entries: the one place that decides it."""

from django.db import models


class MicroCredentialQuerySet(models.QuerySet):
    def public(self):
        """Entries anyone may see: published in the admin and marked published."""
        return self.filter(live=True, status="published")

    def visible_to(self, user):
        """Entries this user may see on public pages, feeds, search and the API.

        Drafts and archived entries are never shown outside the admin, whoever
        asks; editors preview them in the Wagtail admin instead.
        """
        return self.public()

    def for_listing(self):
        """What a result card needs, in a fixed number of queries."""
        return self.select_related("provider").prefetch_related("skills")


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Imports this user may follow: their own; a superuser sees every one.

        A job's report names rows and values of a file that may hold drafts, so
        nobody else, staff included, sees it.
        """
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(user=user)
