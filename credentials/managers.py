"""Who may see which catalogue entries: the one place that decides it."""

from django.db import models
from wagtail.models.audit_log import ModelLogEntryManager


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


class CatalogueLogEntryManager(ModelLogEntryManager):
    """Wagtail's audit log for catalogue entries and providers, kept per provider.

    Wagtail lets anyone with a permission on a model read every log entry of
    that model (`BaseLogEntryManager.viewable_by_user`): its labels would show
    provider editors the titles of other providers' drafts in the site history
    report, its exports and its filters. Each row here is stamped with the
    provider of its object instead, and read only by that provider's editors
    (and by people who edit every provider).
    """

    def log_action(self, instance, action, **kwargs):
        provider_id = self.provider_id_of(instance)
        entry = super().log_action(instance, action, provider_id=provider_id, **kwargs)
        # An entry moved to another provider takes its history along: its former
        # provider's editors can no longer open it, nor read its titles.
        self.for_instance(instance).exclude(provider_id=provider_id).update(
            provider_id=provider_id
        )
        return entry

    def provider_id_of(self, instance):
        """The provider whose editors may read the log of `instance`.

        An entry's saved provider, not the one in hand: a draft that would move
        the entry to another provider does not move it yet. Which field holds
        it is the model's policy's `provider_field` (credentials.permissions).
        """
        from .permissions import policy_for

        field = policy_for(type(instance)).provider_field
        if field == "pk":
            return instance.pk
        saved = (
            type(instance)
            ._default_manager.filter(pk=instance.pk)
            .values_list(field, flat=True)
            .first()
        )
        return saved if saved is not None else getattr(instance, field)

    def viewable_by_user(self, user):
        if user.is_superuser:
            return self.all()
        from .permissions import readable_log_entries

        readable = readable_log_entries(user)
        return self.none() if readable is None else self.filter(readable)
