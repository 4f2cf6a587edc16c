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
