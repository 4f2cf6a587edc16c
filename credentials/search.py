"""The catalogue as a search index: facets, sorts, and the stored tsvector."""

import hashlib
import re

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from cms.money import money
from search.backends.database import record_terms
from search.base import FacetSpec, Option, SearchIndex
from search.registry import (
    bump,
    cache_timeout,
    get_index,
    register,
    register_visibility,
    version,
)

INDEX_NAME = "credentials"

# The URL parameter of each facet, in the order the catalogue shows them.
FACET_NAMES = (
    "provider",
    "provider_type",
    "mode",
    "level",
    "language",
    "skill",
    "cost",
    "duration",
    "osap",
)
SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "title": _("Title"),
    "duration": _("Duration"),
    "cost": _("Cost"),
}


def _format_money_label(template, amounts):
    return str(template) % {name: money(value) for name, value in amounts.items()}


def _money_label(template, **amounts):
    """A cost facet's label, with amounts written as everywhere else ("$500")
    in the language of the visitor it is shown to."""
    return lazy(_format_money_label, str)(template, amounts)


def _choices(field, choices):
    return tuple(Option(value, label, Q(**{field: value})) for value, label in choices)


def _facets():
    from .models import MicroCredential, Provider

    return (
        FacetSpec(
            "provider",
            _("Provider"),
            field="provider__slug",
            label_field="provider__name",
            size=20,
        ),
        FacetSpec(
            "provider_type",
            _("Provider type"),
            options=_choices("provider__provider_type", Provider.Type.choices),
        ),
        FacetSpec(
            "mode",
            _("Delivery mode"),
            options=_choices("delivery_mode", MicroCredential.DeliveryMode.choices),
        ),
        FacetSpec(
            "level",
            _("Level"),
            options=_choices("level", MicroCredential.Level.choices),
        ),
        FacetSpec(
            "language",
            _("Language"),
            options=_choices("language", MicroCredential.Language.choices),
        ),
        FacetSpec(
            "skill",
            _("Skill"),
            field="skills__slug",
            label_field="skills__name",
            size=10,
            multivalued=True,
        ),
        FacetSpec(
            "cost",
            _("Cost"),
            options=(
                Option("free", _("Free"), Q(cost_cad=0)),
                Option(
                    "under-500",
                    _money_label(_("Under %(amount)s"), amount=500),
                    Q(cost_cad__gt=0, cost_cad__lt=500),
                ),
                Option(
                    "500-1000",
                    _money_label(_("%(low)s to %(high)s"), low=500, high=1000),
                    Q(cost_cad__gte=500, cost_cad__lte=1000),
                ),
                Option(
                    "over-1000",
                    _money_label(_("Over %(amount)s"), amount=1000),
                    Q(cost_cad__gt=1000),
                ),
            ),
        ),
        FacetSpec(
            "duration",
            _("Duration"),
            options=(
                Option("up-to-4", _("Up to 4 weeks"), Q(duration_weeks__lte=4)),
                Option(
                    "5-8",
                    _("5 to 8 weeks"),
                    Q(duration_weeks__gte=5, duration_weeks__lte=8),
                ),
                Option(
                    "9-12",
                    _("9 to 12 weeks"),
                    Q(duration_weeks__gte=9, duration_weeks__lte=12),
                ),
                Option("over-12", _("Over 12 weeks"), Q(duration_weeks__gt=12)),
            ),
        ),
        FacetSpec(
            "osap",
            _("OSAP"),
            options=(Option("yes", _("OSAP eligible"), Q(osap_eligible=True)),),
        ),
    )


class CatalogueIndex(SearchIndex):
    name = INDEX_NAME
    sorts = {
        "newest": ("-created_at",),
        "title": ("title",),
        "duration": (F("duration_weeks").asc(nulls_last=True),),
        "cost": ("cost_cad",),
    }
    default_sort = "relevance"
    unranked_sort = "newest"
    text_configs = ("english", "french")
    text_fields = (
        ("title", 8),
        ("skills__name", 4),
        ("learning_outcomes", 2),
        ("description", 1),
    )
    title_field = "title"

    def __init__(self):
        from .models import MicroCredential

        self.model = MicroCredential
        self.facets = _facets()

    def get_queryset(self, user=None):
        return self.model.objects.visible_to(user)

    def search_queryset(self, user=None):
        # On PostgreSQL the narrow search rows, public ones only: visible_to
        # shows everyone the public entries (see its docstring).
        if connection.vendor != "postgresql":
            return self.get_queryset(user)
        from .models import CredentialFacts

        return CredentialFacts.objects.filter(public=True)

    def prepare_hits(self, queryset):
        return queryset.for_listing()

    def text_config_rows(self, config):
        # French entries are stemmed in French, all others in English
        # (refresh_facts); the search rows have a GIN index for each part.
        french = Q(language="fr")
        return french if config == "french" else ~french

    def refresh(self, progress=None):
        index_credentials()
        return super().refresh(progress)

    def vocabulary(self, obj):
        return words_of(obj.title, *(tag.name for tag in obj.skills.all()))

    def value_counts(self, facet, ids=None):
        # Skills are counted on the search rows' skill rows, which carry the
        # row's `public` (refresh_facts): no join through the wide rows.
        if facet.name != "skill" or connection.vendor != "postgresql":
            return None
        from taggit.models import Tag

        from .models import CredentialFactsSkill

        if ids is not None:
            return (
                CredentialFactsSkill.objects.filter(facts_id__in=ids)
                .values(value=F("tag__slug"), label=F("tag__name"))
                .annotate(n=Count("*"))
            )
        # Every public row: each skill counted on its own in the partial index
        # of public skill rows (an index-only range per skill; the engine
        # leaves out the skills counted 0 or not at all).
        per_skill = (
            CredentialFactsSkill.objects.filter(public=True, tag=OuterRef("pk"))
            .order_by()
            .values("tag")
            .annotate(n=Count("*"))
            .values("n")
        )
        return Tag.objects.annotate(n=Subquery(per_skill)).values(
            "n", value=F("slug"), label=F("name")
        )

    def shown(self, obj):
        return {
            "title": obj.title,
            "url": obj.get_absolute_url(),
            "text": obj.description,
            "meta": obj.provider.name,
        }

    # What the shared HTTP cache purges when the catalogue changes (bump).
    cache_tags = ("catalogue",)

    def cache_audience(self, user):
        # Everyone sees the same published entries (see visible_to).
        return "public"


register(CatalogueIndex)
# Site search shows the catalogue through the same rule as the catalogue page.
register_visibility("catalogue", lambda user: get_index(INDEX_NAME).get_queryset(user))


def kept_for_everyone(kind, user, parts, build):
    """`build()`, kept for everyone who sees the same entries as `user`.

    For what the catalogue's pages and API make from its entries and nothing
    else but `parts` (the query, the entry, the host…) and the language: kept
    as long as search results (SEARCH_CACHE_TIMEOUT; 0 turns it off) under the
    index's cache audience and version, which every change to an entry, a
    provider or a skill replaces (entries unpublished or deleted since are
    never served from here). Never for anything else about the visitor.
    """
    audience = get_index(INDEX_NAME).cache_audience(user)
    timeout = cache_timeout()
    if audience is None or not timeout:
        return build()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = (
        f"catalogue:{kind}:{version(INDEX_NAME)}:{audience}:"
        f"{translation.get_language()}:{digest}"
    )
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def words_of(*texts):
    return {
        word
        for text in texts
        for word in re.findall(r"[^\W\d_]+", (text or "").lower())
    }


def refresh_facts(ids=None):
    """Rebuild the search rows (`CredentialFacts`) of these entries (all if None).

    The text vector is weighted A title, B skills, C learning outcomes, D
    description; French entries use the 'french' configuration, all others
    'english'. A few statements for any number of rows, so imports and the
    benchmark seed stay fast. Only PostgreSQL searches these rows.
    """
    if connection.vendor != "postgresql":
        return
    from .models import (
        CredentialFacts,
        CredentialFactsSkill,
        MicroCredential,
        TaggedMicroCredential,
    )

    entries = MicroCredential._meta.db_table
    facts = CredentialFacts._meta.db_table
    facts_skills = CredentialFactsSkill._meta.db_table
    tagged = TaggedMicroCredential._meta.db_table
    config = "(CASE WHEN m.language = 'fr' THEN 'french' ELSE 'english' END)::regconfig"
    # Whether anyone may find the entry: the search row and its skill rows.
    public = "m.live AND m.status = 'published'"
    if ids is None:
        where, params = "", []
        deletes = [
            f"DELETE FROM {facts_skills}",  # noqa: S608
            f"DELETE FROM {facts}",  # noqa: S608
        ]
    else:
        where, params = "WHERE m.id = ANY(%s)", [list(ids)]
        deletes = [
            f"DELETE FROM {facts_skills} WHERE facts_id = ANY(%s)",  # noqa: S608
            f"DELETE FROM {facts} WHERE credential_id = ANY(%s)",  # noqa: S608
        ]
    # Table names come from the models; values are parameters.
    statements = [
        *deletes,
        f"""INSERT INTO {facts} (credential_id, public, provider_id, title, level,
                delivery_mode, language, duration_weeks, cost_cad, osap_eligible,
                created_at, search_vector)
            SELECT m.id, {public}, m.provider_id, m.title,
                m.level, m.delivery_mode, m.language, m.duration_weeks, m.cost_cad,
                m.osap_eligible, m.created_at,
                setweight(to_tsvector({config}, coalesce(m.title, '')), 'A') ||
                setweight(to_tsvector({config}, coalesce((
                    SELECT string_agg(t.name, ' ') FROM {tagged} AS ti
                    JOIN taggit_tag AS t ON t.id = ti.tag_id
                    WHERE ti.content_object_id = m.id), '')), 'B') ||
                setweight(to_tsvector({config}, coalesce(m.learning_outcomes, '')),
                    'C') ||
                setweight(to_tsvector({config}, coalesce(m.description, '')), 'D')
            FROM {entries} AS m {where}""",  # noqa: S608
        f"""INSERT INTO {facts_skills} (facts_id, tag_id, public)
            SELECT DISTINCT ti.content_object_id, ti.tag_id, {public}
            FROM {tagged} AS ti
            JOIN {entries} AS m ON m.id = ti.content_object_id {where}""",  # noqa: S608
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, params)


def refresh_vocabulary(ids=None):
    """Add the words of these entries' titles and skills to "did you mean"."""
    from .models import MicroCredential, TaggedMicroCredential

    credentials = MicroCredential.objects.all()
    tagged = TaggedMicroCredential.objects.all()
    if ids is not None:
        credentials = credentials.filter(pk__in=ids)
        tagged = tagged.filter(content_object_id__in=ids)
    words = set()
    for title in credentials.values_list("title", flat=True).iterator(chunk_size=5000):
        words |= words_of(title)
    for name in tagged.values_list("tag__name", flat=True).distinct():
        words |= words_of(name)
    record_terms(INDEX_NAME, words)


def index_credentials(ids=None):
    """Bring search up to date after entries were saved, imported or generated."""
    refresh_facts(ids)
    refresh_vocabulary(ids)
    bump(INDEX_NAME)
