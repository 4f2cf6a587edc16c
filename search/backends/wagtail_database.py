"""Wagtail's own database search backend (modelsearch's), with French pages
also stemmed in French on PostgreSQL.

Wagtail's PostgreSQL backend builds every index entry with one text search
configuration (the database's default, English here), so a French page's
words were stemmed as if they were English: "évaluées" and "évaluation" had
nothing in common. Here the entry of an object in a French locale gets its
title and body stemmed in French as well (added to the English vectors, so
Wagtail's own searches, such as the admin's, find what they found before),
and site search on the French site matches pages in French
(`search.site.page_text_config`), as the Elasticsearch backend does with its
`.fr` fields (`search.backends.wagtail_elasticsearch`).

On other databases it is Wagtail's backend as it is.
"""

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.conf import get_app_config

FRENCH_CONFIG = "french"


def french_locale_ids():
    from wagtail.models import Locale

    return set(
        Locale.objects.filter(language_code__startswith="fr").values_list(
            "pk", flat=True
        )
    )


def SearchBackend(params):  # noqa: N802 - Wagtail's name for a backend factory
    backend = database_backend(params)
    if connection.vendor == "postgresql":
        backend.index_class = _french_index_class(backend.index_class)
    return backend


def _french_index_class(base):
    from wagtail.models import TranslatableMixin

    class Index(base):
        def add_items(self, model, objs):
            super().add_items(model, objs)
            if not issubclass(model, TranslatableMixin):
                return
            french = french_locale_ids()
            ids = [str(obj.pk) for obj in objs if obj.locale_id in french]
            if ids:
                add_french_stems(self.write_connection, model, ids)

    return Index


def add_french_stems(using, model, ids):
    """Add the French stems of these objects' title (weight A, the title's)
    and body (D) to their index entries, which Wagtail just wrote."""
    from django.contrib.contenttypes.models import ContentType

    IndexEntry = get_app_config().get_model("IndexEntry")
    table = IndexEntry._meta.db_table
    with using.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} SET
                title = title || setweight(
                    to_tsvector(%s::regconfig, coalesce(title_text, '')), 'A'),
                body = body || setweight(
                    to_tsvector(%s::regconfig, coalesce(body_text, '')), 'D')
            WHERE content_type_id = %s AND object_id = ANY(%s)""",  # noqa: S608
            [
                FRENCH_CONFIG,
                FRENCH_CONFIG,
                ContentType.objects.get_for_model(model).pk,
                ids,
            ],
        )
