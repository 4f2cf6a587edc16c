"""Move the catalogue's existing audit-log rows from Wagtail's ModelLogEntry.

Each row is stamped with its object's provider. Rows of entries that no longer
exist keep no provider: only people who edit every provider read them.
"""

from django.db import migrations

BATCH = 2000
FIELDS = (
    "content_type_id",
    "label",
    "action",
    "data",
    "timestamp",
    "uuid",
    "user_id",
    "revision_id",
    "content_changed",
    "deleted",
    "object_id",
)


def _content_types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return dict(
        ContentType.objects.filter(
            app_label="credentials", model__in=["microcredential", "provider"]
        ).values_list("model", "pk")
    )


def _move(source, target, rows, provider_of):
    # Each batch is deleted once copied, so the next one is again the first.
    while batch := list(rows[:BATCH]):
        providers = provider_of(batch)
        target.objects.bulk_create(
            [
                target(
                    **{field: getattr(row, field) for field in FIELDS},
                    **providers(row),
                )
                for row in batch
            ]
        )
        source.objects.filter(pk__in=[row.pk for row in batch]).delete()


def forwards(apps, schema_editor):
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    CatalogueLogEntry = apps.get_model("credentials", "CatalogueLogEntry")
    MicroCredential = apps.get_model("credentials", "MicroCredential")
    content_types = _content_types(apps)
    if not content_types:
        return

    def provider_of(batch):
        entry_ids = {
            int(row.object_id)
            for row in batch
            if row.content_type_id == content_types.get("microcredential")
            and row.object_id.isdigit()
        }
        entry_providers = {
            str(pk): provider_id
            for pk, provider_id in MicroCredential.objects.filter(
                pk__in=entry_ids
            ).values_list("pk", "provider_id")
        }

        def providers(row):
            if row.content_type_id == content_types.get("provider"):
                return {"provider_id": int(row.object_id)}
            return {"provider_id": entry_providers.get(row.object_id)}

        return providers

    rows = ModelLogEntry.objects.filter(
        content_type_id__in=content_types.values()
    ).order_by("pk")
    _move(ModelLogEntry, CatalogueLogEntry, rows, provider_of)


def backwards(apps, schema_editor):
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    CatalogueLogEntry = apps.get_model("credentials", "CatalogueLogEntry")
    rows = CatalogueLogEntry.objects.order_by("pk")
    _move(CatalogueLogEntry, ModelLogEntry, rows, lambda batch: lambda row: {})


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0007_catalogue_log"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
