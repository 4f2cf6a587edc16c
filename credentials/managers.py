"""Who may see which catalogue entries: the one place that decides it."""

from operator import attrgetter, itemgetter

from django.db import models
from wagtail.models.audit_log import ModelLogEntryManager


class SkillList:
    """`entry.skill_list`: the entry's skills (tags), in the order they were added.

    `prefetch_related(skill_list_prefetch())` reads them for every entry of a
    page in one query over the tagged-item table, in that order, and builds
    one tag object per skill, not a queryset per entry as taggit's own
    prefetch of `skills` does (whose order is whatever the database's hash
    aggregate gives). Without it, each read asks the tag manager, which also
    sees the unsaved tags of a preview.
    """

    # Where the prefetch leaves an entry's (entry id, tag) pairs.
    rows_attr = "_skill_rows"

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        rows = instance.__dict__.get(self.rows_attr)
        if rows is None:
            return list(instance.skills.all())
        return [tag for _pk, tag in rows]

    def get_prefetch_querysets(self, instances, querysets=None):
        """The (entry id, tag) pairs of these entries, and how they match the
        entries (see django.db.models.query.prefetch_one_level)."""
        from .models import TaggedMicroCredential

        if querysets:
            raise ValueError("skill_list takes no queryset.")
        rows = (
            TaggedMicroCredential.objects.filter(
                content_object_id__in={entry.pk for entry in instances}
            )
            .order_by("pk")
            .values_list("content_object_id", "tag_id", "tag__name", "tag__slug")
        )
        tag_model = TaggedMicroCredential.tag_model()
        fields = ["id", "name", "slug"]
        tags = {}
        pairs = []
        for entry_id, *values in rows:
            tag = tags.get(values[0])
            if tag is None:
                tag = tags[values[0]] = tag_model.from_db(rows.db, fields, values)
            pairs.append((entry_id, tag))
        return pairs, itemgetter(0), attrgetter("pk"), False, self.rows_attr, False


def skill_list_prefetch():
    """For prefetch_related: every entry's `skill_list`, in one query."""
    return models.Prefetch("skill_list", to_attr=SkillList.rows_attr)


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
        return self.select_related("provider").prefetch_related(skill_list_prefetch())


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
