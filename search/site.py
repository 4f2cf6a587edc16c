"""Site-wide search: one query across pages, documents, discussions and the catalogue.

Privacy first: every kind starts from what the visitor may see, with the same
rules as the pages that show those things (live and public pages, documents in
collections without a view restriction the visitor fails, community's
`visible_to(user)`, the catalogue index's own `get_queryset(user)`), so counts,
snippets and suggestions never reveal anything else.

`get_site_engine()` returns the database engine, or the Elasticsearch one when
`ELASTICSEARCH_URL` is set; both answer `search()` with a `SiteResult`.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.contrib.postgres.search import (
    SearchRank,
    SearchVector,
)
from django.core.cache import cache
from django.db import connection
from django.db.models import F, IntegerField, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject
from django.utils import translation
from django.utils.html import escape, strip_tags
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .base import SearchError, SearchQuery, clean_text, query_words
from .registry import (
    added_to,
    all_documents,
    bump,
    cache_timeout,
    documents,
    get_index,
    keep_results_for,
    kind_model,
    version,
    visibility,
    visible_keys,
    visible_to,
)
from .threads import TEXT_CONFIG, refresh_thread_text

SITE_INDEX = "site"  # also the data version of cached results (search.signals)
CATALOGUE_INDEX = "credentials"


def page_kind(page):
    """What a visitor calls this kind of page in results: "Framework", "Event".

    A page model names it with a `search_kind` attribute; any other page is a
    "Page" (never the model's name, such as "Framework index page").
    """
    return str(getattr(page, "search_kind", None) or _("Page"))


KINDS = {
    "pages": _("Pages"),
    "documents": _("Documents"),
    "discussions": _("Discussions"),
    "catalogue": _("Catalogue"),
}
# What a visitor calls one hit of each kind that is not a page (a page names
# its own kind: `page_kind`), shown with every hit and suggestion.
HIT_KINDS = {
    "documents": _("Document"),
    "discussions": _("Discussion"),
    "catalogue": _("Micro-credential"),
}


def site_kinds():
    """{kind: label}: the built-in kinds, then those apps registered with a
    label (`search.registry.register_documents`)."""
    kinds = dict(KINDS)
    for registered in all_documents():
        if registered.label and registered.kind not in kinds:
            kinds[registered.kind] = registered.label
    return kinds


def hit_label(kind):
    """What a visitor calls one hit of this kind ("Document"); "" for pages."""
    if kind in HIT_KINDS:
        return HIT_KINDS[kind]
    try:
        return documents(kind).hit_label
    except LookupError:
        return ""


# Hits of each kind shown on the grouped (unfiltered) results page.
GROUP_SIZE = 3
PER_PAGE = 10
SNIPPET_CHARS = 240
SUGGESTION_LIMIT = 8
# Counts stop here ("1,000+"): counting every match of a common word costs
# more than it tells, and the first hundred pages are as far as anyone reads.
COUNT_LIMIT = 1000
# Rich text or plain fields whose text links to a fixed anchor on the page.
ANCHORED_FIELDS = {"transcript": "transcript-heading"}
PAGE_TEXT_FIELDS = ("summary", "intro", "change_summary", "search_description")


class SearchUnavailable(SearchError):
    """The search service cannot be reached; pages say so instead of failing."""


@dataclass
class SiteHit:
    kind: str
    title: str
    url: str
    snippet: str = ""
    meta: str = ""
    promoted: bool = False

    @property
    def label(self):
        """The hit's kind in a visitor's words ("Document"); "" for a page,
        whose `meta` already names its kind ("Framework", "Event")."""
        return hit_label(self.kind)


@dataclass
class SiteResult:
    text: str
    kind: str = ""
    page: int = 1
    per_page: int = PER_PAGE
    # kind -> number of results the visitor may see
    counts: dict = field(default_factory=dict)
    # kind -> hits: the first few of each kind, or one page of the chosen kind
    groups: dict = field(default_factory=dict)
    promoted: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    unavailable: bool = False

    @property
    def total(self):
        if self.kind:
            return self.counts.get(self.kind, 0)
        return sum(self.counts.values())

    @property
    def all_total(self):
        return sum(self.counts.values())

    @property
    def num_pages(self):
        return max(1, -(-self.total // self.per_page)) if self.kind else 1

    @property
    def has_next(self):
        return bool(self.kind) and self.page < self.num_pages

    @property
    def has_previous(self):
        return bool(self.kind) and self.page > 1

    @property
    def kinds(self):
        return [
            (name, label, self.counts.get(name, 0))
            for name, label in site_kinds().items()
            if name in KINDS or name in self.counts
        ]


# --- Snippets -----------------------------------------------------------------


def _word_pattern(words):
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len)[::-1])
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)


def highlight(text, words, length=SNIPPET_CHARS):
    """An excerpt of `text` around the first match, escaped, matches in <mark>.

    The text is cut and escaped piece by piece, and only the pieces that
    matched are wrapped, so no markup from the text can get through.
    """
    text = " ".join(strip_tags(text or "").split())
    pattern = _word_pattern(words)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > length // 3:
        start = text.rfind(" ", 0, match.start() - length // 3) + 1
    excerpt = text[start : start + length]
    if start + length < len(text):
        cut = excerpt.rfind(" ")
        excerpt = (excerpt[:cut] if cut > length // 2 else excerpt) + " …"
    if start:
        excerpt = "… " + excerpt
    parts = []
    position = 0
    for found in pattern.finditer(excerpt) if pattern else ():
        parts.append(escape(excerpt[position : found.start()]))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        position = found.end()
    parts.append(escape(excerpt[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def contains_words(text, words):
    pattern = _word_pattern(words)
    return bool(pattern and pattern.search(text or ""))


def _text_of(value):
    return " ".join(strip_tags(str(value or "")).split())


def page_sections(page):
    """(anchor, text) pieces of a page in reading order; anchor '' is the top."""
    sections = [("", _text_of(getattr(page, name, ""))) for name in PAGE_TEXT_FIELDS]
    body = getattr(page, "body", None)
    if body is not None and hasattr(body, "stream_block"):
        anchor = ""
        for block in body:
            value = block.value
            if block.block_type == "heading":
                anchor = slugify(value.get("anchor") or value.get("text") or "")
            elif block.block_type == "principles" and value.get("heading"):
                anchor = slugify(value["heading"])
            content = block.block.get_searchable_content(value)
            sections.append((anchor, _text_of(" ".join(map(str, content)))))
    for name, anchor in ANCHORED_FIELDS.items():
        if getattr(page, name, None):
            sections.append((anchor, _text_of(getattr(page, name))))
    return [(anchor, text) for anchor, text in sections if text]


def page_snippet(page, words):
    """The snippet and the anchor of the first section where the words occur."""
    sections = page_sections(page)
    for anchor, text in sections:
        if contains_words(text, words):
            return highlight(text, words), anchor
    return highlight(sections[0][1] if sections else "", words), ""


# --- Who may see what ---------------------------------------------------------
#
# Each kind's app registers its own rule (search.registry.register_visibility):
# pages are Wagtail's (live, no view restriction), documents frameworks',
# discussions community's, the catalogue its index's. Nothing here re-states
# them.


def live_public_pages():
    """Wagtail's rule for pages anyone may find: live, with no view restriction
    on the page or an ancestor (`PageQuerySet.public()`), read from the
    database in the same query: Wagtail's own reads the restrictions first."""
    from django.db.models import Exists
    from django.db.models.functions import Length, Substr
    from wagtail.models import Page, PageViewRestriction

    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return Page.objects.live().filter(depth__gt=1).exclude(Exists(restricted))


def pages_in_this_language():
    """The pages site search finds: anyone may see them (`live_public_pages`)
    and they are in the language of the site being searched (the English
    site finds English pages, `/fr/search/` French ones), as on Canada.ca."""
    from wagtail.models import Locale

    return live_public_pages().filter(locale_id=Locale.get_active().pk)


def page_text_config():
    """How the words of a page search are stemmed: in French on the French
    site, whose pages are French (their index entries are stemmed in French
    too: `search.backends.wagtail_database`), else as Wagtail's index is."""
    language = translation.get_language() or ""
    return "french" if language.startswith("fr") else None


def visible_pages(user=None):
    return visible_to("pages", user)


def visible_documents(user):
    return visible_to("documents", user)


def visible_threads(user):
    return visible_to("discussions", user)


def visible_posts(user):
    return visible_to("posts", user)


def visible_catalogue(user):
    return visible_to("catalogue", user)


def registered_suggestions(kind, text, user, limit):
    """(label, url, kind) of the visible objects of a registered kind whose
    title contains the text, in the kind's order."""
    registered = documents(kind)
    objects = (
        visible_to(kind, user)
        .filter(**{f"{registered.title}__icontains": text})
        .order_by(*registered.ordering)[:limit]
    )
    label = HIT_KINDS.get(kind) or KINDS[kind]
    return [
        (getattr(obj, registered.title), obj.get_absolute_url(), label)
        for obj in objects
    ]


def catalogue_suggestions(text, user, limit):
    """(label, url, kind) of the visible catalogue entries whose title holds
    the text. The catalogue is large: titles are matched through a trigram
    index, which needs three letters to look inside a title."""
    title = get_index(CATALOGUE_INDEX).title_field
    lookup = "icontains" if len(text) > 2 else "istartswith"
    entries = (
        visible_catalogue(user)
        .filter(**{f"{title}__{lookup}": text})
        .order_by(title)[:limit]
    )
    label = HIT_KINDS["catalogue"]
    return [
        (getattr(entry, title), entry.get_absolute_url(), label) for entry in entries
    ]


# --- The database engine ------------------------------------------------------


def _specific_pages(found):
    """{pk: specific page} for these (pk, content type id) pairs, one query per
    page type.

    Wagtail's .specific() first asks which type each page is; the search
    results already say so.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    by_type = {}
    for pk, content_type_id in found:
        by_type.setdefault(content_type_id, []).append(pk)
    found = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, Page):
            model = Page
        found.update(model.objects.filter(pk__in=ids).in_bulk())
    return found


def _tsquery(words, config=None):
    raw = " & ".join(f"{word}:*" for word in words)
    return PgSearchQuery(raw, search_type="raw", config=config)


def _index_entry_ids(model, words):
    """Ids of `model` rows whose entry in Wagtail's search index has every word."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import BigIntegerField
    from django.db.models.functions import Cast
    from modelsearch.conf import get_app_config

    IndexEntry = get_app_config().get_model("IndexEntry")
    query = _tsquery(words)
    return (
        IndexEntry.objects.filter(
            content_type_id=ContentType.objects.get_for_model(model).pk
        )
        .filter(Q(title=query) | Q(body=query))
        .annotate(row_id=Cast("object_id", BigIntegerField()))
        .values("row_id")
    )


def _page_entries(words):
    """Wagtail's index entries of the visible pages with every word, ranked.

    The same entries, match and weights as Wagtail's own page search (and
    words may start a longer word, as everywhere in site search), in a query
    the planner estimates well: Wagtail's own compares every page id with
    every entry when it misjudges how many entries match.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.postgres.search import SearchVectorField
    from django.db.models import IntegerField
    from django.db.models.expressions import CombinedExpression
    from django.db.models.functions import Cast
    from modelsearch.conf import get_app_config
    from wagtail.models import Page, get_page_models

    IndexEntry = get_app_config().get_model("IndexEntry")
    content_types = ContentType.objects.get_for_models(Page, *get_page_models())
    query = _tsquery(words, page_text_config())
    weights = [0.15, 0.2, 0.4, 1.0]  # D, C, B, A, as Wagtail's backend
    return (
        IndexEntry.objects.filter(
            content_type_id__in=[ct.pk for ct in content_types.values()]
        )
        # Compared as numbers, so each entry finds its page through the index.
        .alias(page_id=Cast("object_id", IntegerField()))
        .filter(page_id__in=visible_pages().values("pk"))
        .alias(
            vector=CombinedExpression(
                F("title"), "||", F("body"), output_field=SearchVectorField()
            )
        )
        .filter(vector=query)
        .alias(
            rank=SearchRank(F("title"), query, weights=weights) * F("title_norm")
            + SearchRank(F("body"), query, weights=weights)
        )
    )


def wagtail_page_search(words, user, offset, limit):
    """(total, [(pk, content type id)]) of the visible pages with every word,
    from Wagtail's search backend (on SQLite, and on Elasticsearch).

    Wagtail's backends filter on plain field lookups only, not on the
    Exists() of the visibility rule: they are handed the visible pages' ids.
    """
    from wagtail.models import Page

    visible = [int(pk) for pk in visible_keys("pages", user)]
    results = Page.objects.filter(pk__in=visible).search(
        " ".join(words), operator="and"
    )
    total = results.count()
    if not limit or offset >= total:
        return total, []
    return total, [
        (page.pk, page.content_type_id) for page in results[offset : offset + limit]
    ]


def capped_count(queryset):
    """The number of rows, counting no further than COUNT_LIMIT + 1."""
    return queryset.order_by().values("pk")[: COUNT_LIMIT + 1].count()


def counted_page(queryset, ordering, offset, limit):
    """(total, rows): a page of the ordered rows and their capped count, in one
    query (the count is a subquery the database runs once), so a kind costs
    one round trip, not two. Only a page past the end counts apart."""
    if not limit:
        return capped_count(queryset), []
    capped = queryset.order_by().values("pk")[: COUNT_LIMIT + 1]
    sql, params = capped.query.sql_with_params()
    total = RawSQL(  # noqa: S611 - Django's own SQL, values as parameters
        f"SELECT COUNT(*) FROM ({sql}) AS capped",  # noqa: S608
        params,
        output_field=IntegerField(),
    )
    rows = list(
        queryset.annotate(_total=total).order_by(*ordering)[offset : offset + limit]
    )
    if rows:
        first = rows[0]
        return (first["_total"] if isinstance(first, dict) else first._total), rows
    return (capped_count(queryset) if offset else 0), []


def shown_count(count):
    """A count as shown to visitors: "1,000+" beyond the limit."""
    from django.contrib.humanize.templatetags.humanize import intcomma

    if count > COUNT_LIMIT:
        return f"{intcomma(COUNT_LIMIT)}+"
    return intcomma(count)


def _contains_all(words, *paths):
    condition = Q()
    for word in words:
        any_field = Q()
        for path in paths:
            any_field |= Q(**{f"{path}__icontains": word})
        condition &= any_field
    return condition


class DatabaseSiteEngine:
    """Site search on the database: PostgreSQL full text, icontains on SQLite."""

    available = True

    @property
    def is_postgres(self):
        return connection.vendor == "postgresql"

    # --- Entry points -----------------------------------------------------

    def search(self, text, *, user=None, kind="", page=1, per_page=PER_PAGE):
        result = SiteResult(
            text=clean_text(text),
            kind=kind if kind in site_kinds() else "",
            page=max(1, int(page)),
            per_page=per_page,
        )
        words = query_words(result.text)
        if not words:
            return result
        key = self._cache_key(result, words, user)
        cached = cache.get(key) if key else None
        if cached is not None:
            result.counts, result.groups, result.suggestions = cached
            return result
        for name in site_kinds():
            # A kind an app added shows only when it finds something.
            shown = name in KINDS or name == result.kind
            if result.kind and name != result.kind:
                total = self._hits_kept(name, words, user, 0, 0)[0]
                if total or shown:
                    result.counts[name] = total
                continue
            offset = (result.page - 1) * per_page if result.kind else 0
            limit = per_page if result.kind else GROUP_SIZE
            total, hits = self._hits_kept(name, words, user, offset, limit)
            if total or shown:
                result.counts[name] = total
                result.groups[name] = hits
        if not result.total:
            result.suggestions = self.did_you_mean(words, user)
        if key:
            cache.set(
                key,
                (result.counts, result.groups, result.suggestions),
                keep_results_for(
                    version(SITE_INDEX),
                    [kind for kind, count in result.counts.items() if count],
                ),
            )
        return result

    def _cache_key(self, result, words, user):
        """Where this search's counts and hits are kept, or None (not cached).

        The key names everything they depend on besides the words, kind and
        page: the language; the versions of the data searched (the site
        index's for pages, documents and discussions, bumped on each change,
        on page moves and view restrictions, and again once the index has
        caught up; the catalogue's own); and, kind by kind, what this visitor
        may see. Only anonymous visitors' searches are kept: they all see the
        same things, and every change to a model that a kind's visibility rule
        depends on bumps the site index's version (search.signals). A member's
        search asks the rules every time.
        """
        from .registry import get_index

        audience = get_index(CATALOGUE_INDEX).cache_audience(user)
        if audience is None or not cache_timeout():
            return None
        facts = (
            words,
            result.kind,
            result.page,
            result.per_page,
            translation.get_language(),
            version(SITE_INDEX),
            version(CATALOGUE_INDEX),
            audience,
        )
        if user is not None and user.is_authenticated:
            # What a member may see is asked of the apps' rules each time.
            return None
        digest = hashlib.sha256(repr(facts).encode()).hexdigest()
        return f"search:site:{digest}"

    def _hits_kept(self, kind, words, user, offset, limit):
        """`hits`, kept in the cache for a member when the kind's rule is the
        same for everyone (pages): every visitor would get the same answer,
        so members share it as anonymous visitors share whole results, under
        the same versions (the site index's is bumped on every change to
        pages and their view restrictions). Kinds whose rule depends on the
        member (documents, discussions, the catalogue) are asked every time.
        """
        if (
            user is None
            or not user.is_authenticated
            or not visibility(kind).same_for_everyone
            or not cache_timeout()
        ):
            return self.hits(kind, words, user, offset, limit)
        facts = (
            kind,
            words,
            offset,
            limit,
            translation.get_language(),
            version(SITE_INDEX),
        )
        digest = hashlib.sha256(repr(facts).encode()).hexdigest()
        key = f"search:site-kind:{digest}"
        kept = cache.get(key)
        if kept is None:
            kept = self.hits(kind, words, None, offset, limit)
            cache.set(key, kept, cache_timeout())
        return kept

    def count(self, kind, words, user):
        return self.hits(kind, words, user, 0, 0)[0]

    def hits(self, kind, words, user, offset, limit):
        """(total, hits) of one kind; no hits are loaded when limit is 0."""
        method = getattr(self, f"_{kind}", None)
        if method is None:
            return self._registered(kind, words, user, offset, limit)
        return method(words, user, offset, limit)

    def suggest(self, text, *, user=None, limit=SUGGESTION_LIMIT):
        """Titles starting or containing what was typed, of things this user sees."""
        text = clean_text(text)[:100]
        if len(text) < 2:
            return []
        per_kind = max(2, limit // 2)
        found = [
            (page.title, page.url, page_kind(page.specific_class))
            for page in visible_pages()
            .filter(title__icontains=text)
            .order_by("title")[:per_kind]
        ]
        found += [
            (document.title, document.url, HIT_KINDS["documents"])
            for document in visible_documents(user)
            .filter(title__icontains=text)
            .order_by("title")[:per_kind]
        ]
        found += registered_suggestions("discussions", text, user, per_kind)
        found += catalogue_suggestions(text, user, per_kind)
        lowered = text.lower()
        found.sort(key=lambda item: (not item[0].lower().startswith(lowered), item[0]))
        items = [
            {"label": label, "url": url, "kind": str(kind)}
            for label, url, kind in found[:limit]
        ]
        return with_query_completions(text, items, limit)

    # --- Kinds --------------------------------------------------------------

    def _pages(self, words, user, offset, limit):

        if self.is_postgres:
            total, rows = counted_page(
                _page_entries(words).values("object_id", "content_type_id"),
                (F("rank").desc(), "-pk"),
                offset,
                limit,
            )
            found = [(int(row["object_id"]), row["content_type_id"]) for row in rows]
            if not found:
                return total, []
        else:
            total, found = wagtail_page_search(words, user, offset, limit)
            if not found:
                return total, []
        return total, self._page_hits(found, words)

    def _page_hits(self, found, words):
        """Hits for these (pk, content type id) pairs, in their order."""
        pages = _specific_pages(found)
        hits = []
        for pk, _content_type_id in found:
            page = pages.get(pk)
            if page is None:
                continue
            snippet, anchor = page_snippet(page, words)
            hits.append(
                SiteHit(
                    kind="pages",
                    title=page.title,
                    url=page.url + (f"#{anchor}" if anchor else ""),
                    snippet=snippet,
                    meta=page_kind(page),
                )
            )
        return hits

    def _documents(self, words, user, offset, limit):
        queryset = visible_documents(user)
        if self.is_postgres:
            query = _tsquery(words, "english")
            queryset = queryset.filter(
                Q(search_text__search_vector=query)
                | Q(pk__in=_index_entry_ids(queryset.model, words))
            ).annotate(rank=SearchRank(F("search_text__search_vector"), query))
            ordering = (F("rank").desc(nulls_last=True), "title", "pk")
        else:
            queryset = queryset.filter(
                _contains_all(words, "title", "search_text__text")
            )
            ordering = ("title", "pk")
        total, documents = counted_page(
            queryset.select_related("search_text"), ordering, offset, limit
        )
        hits = []
        for document in documents:
            text = getattr(document, "search_text", None)
            body = text.text if text is not None else ""
            hits.append(
                SiteHit(
                    kind="documents",
                    title=document.title,
                    url=document.url,
                    snippet=highlight(body or document.title, words),
                    meta=document.file_extension.upper(),
                )
            )
        return total, hits

    def _discussions(self, words, user, offset, limit):
        return self._registered_kind("discussions", words, user, offset, limit)

    def _registered_kind(self, kind, words, user, offset, limit):
        """A kind its app registered with `register_documents`: matched on its
        stored text (PostgreSQL) or its title and the text of what adds to it
        (posts), each hit with its first matching added object as the snippet
        and the link. Which fields those are comes from the registration."""
        from .models import ThreadText

        registered = documents(kind)
        objects = visible_to(kind, user)
        # At most one kind adds to another (posts to discussions).
        part = next(iter(added_to(kind)), None)
        parts = visible_to(part.kind, user) if part else None
        if self.is_postgres:
            query = _tsquery(words, TEXT_CONFIG)
            # The stored text has the title and what every reader of the
            # object sees (search.threads): only the added objects beyond
            # it that this user may see (hidden posts, for moderators) are
            # matched one by one. There are few (a partial index lists
            # them); matching every post again cost more than the rest.
            matched = Q(
                pk__in=ThreadText.objects.filter(search_vector=query).values("pk")
            )
            if part:
                parts = parts.annotate(
                    text_vector=SearchVector(part.text, config=TEXT_CONFIG)
                ).filter(text_vector=query)
                beyond = parts & part.objects()
                matched |= Q(pk__in=beyond.values(part.parent_key))
            objects = objects.filter(matched)
        else:
            # As the stored text does on PostgreSQL: every word in the title
            # or in one of the added objects this user sees.
            matched = Q()
            for word in words:
                with_word = Q(**{f"{registered.title}__icontains": word})
                if part:
                    in_part = parts.filter(**{f"{part.text}__icontains": word})
                    with_word |= Q(pk__in=in_part.values(part.parent_key))
                matched &= with_word
            objects = objects.filter(matched)
            if part:
                parts = parts.filter(_contains_all(words, part.text))
        if part:
            # Each object with its first matching added one, read in the
            # same query by one subquery: their text is matched once per
            # object, not once per column.
            first = parts.filter(**{part.parent_key: OuterRef("pk")}).order_by(
                *part.ordering
            )
            objects = objects.annotate(
                first_part=Subquery(
                    first.values(found=JSONObject(id="pk", text=part.text))[:1]
                )
            )
        total, found = counted_page(
            objects.select_related(*registered.related),
            registered.ordering,
            offset,
            limit,
        )
        hits = []
        for obj in found:
            shown = registered.shown(obj)
            first = getattr(obj, "first_part", None)
            if isinstance(first, str):  # backends without a JSON field type
                first = json.loads(first)
            if first:
                url = parts.model(pk=first["id"]).get_absolute_url()
                text = first["text"]
            else:
                url, text = shown["url"], shown["title"]
            hits.append(
                SiteHit(
                    kind=kind,
                    title=shown["title"],
                    url=url,
                    snippet=highlight(text, words),
                    meta=shown.get("meta", ""),
                )
            )
        return total, hits

    def _catalogue(self, words, user, offset, limit):
        from .registry import get_engine

        per_page = max(1, limit)
        result = get_engine(CATALOGUE_INDEX).search(
            SearchQuery(
                text=" ".join(words),
                page=offset // per_page + 1,
                per_page=per_page,
                suggest=False,
            ),
            user=user,
        )
        if getattr(result, "unavailable", False):
            raise SearchUnavailable(_("The catalogue search is unavailable."))
        if not limit:
            return result.total, []
        index = get_index(CATALOGUE_INDEX)
        hits = []
        for entry in result.hits:
            shown = index.shown(entry)
            hits.append(
                SiteHit(
                    kind="catalogue",
                    title=shown["title"],
                    url=shown["url"],
                    snippet=highlight(shown.get("text") or shown["title"], words),
                    meta=shown.get("meta", ""),
                )
            )
        return result.total, hits

    def _registered(self, kind, words, user, offset, limit):
        """A kind an app registered with a label (`register_documents`): its
        `texts()` of the rows its visibility rule lets this user see, matched
        as they are read (such kinds are small: no stored vectors), each hit
        shown as the app's `document(obj)` describes it."""
        registered = documents(kind)
        visible = visible_to(kind, user).order_by().values("pk")
        texts = registered.texts().filter(pk__in=visible)
        if self.is_postgres:
            query = _tsquery(words, TEXT_CONFIG)
            texts = (
                texts.annotate(
                    found=SearchVector("search_title", weight="A", config=TEXT_CONFIG)
                    + SearchVector("search_body", weight="D", config=TEXT_CONFIG)
                )
                .filter(found=query)
                .annotate(rank=SearchRank(F("found"), query))
            )
            ordering = (F("rank").desc(), "-pk")
        else:
            texts = texts.filter(_contains_all(words, "search_title", "search_body"))
            ordering = ("-pk",)
        total, rows = counted_page(texts.values("pk"), ordering, offset, limit)
        ids = [row["pk"] for row in rows]
        objects = registered.objects().in_bulk(ids) if ids else {}
        hits = []
        for pk in ids:
            if pk not in objects:
                continue
            document = registered.document(objects[pk])
            hits.append(
                SiteHit(
                    kind=kind,
                    title=document["title"],
                    url=document["url"],
                    snippet=highlight(document["body"] or document["title"], words),
                    meta=document.get("meta", ""),
                )
            )
        return total, hits

    # --- Did you mean -------------------------------------------------------

    def closest_word(self, word):
        from .backends.database import closest_term

        return closest_term(
            word, (SITE_INDEX, CATALOGUE_INDEX), postgres=self.is_postgres
        )

    def did_you_mean(self, words, user):
        """A corrected query, offered only when it finds something this user sees."""
        corrected = [self.closest_word(word) or word for word in words]
        if corrected == words:
            return []
        for name in site_kinds():
            if self.count(name, corrected, user):
                return [" ".join(corrected)]
        return []

    # --- Index maintenance --------------------------------------------------

    def update(self, kind, pk):
        """Refresh a thread's stored text, and teach "did you mean" new words.

        Wagtail keeps its own index of pages, documents, threads and posts as
        they are saved; document text has its own task.
        """
        if kind == "discussions":
            refresh_thread_text([pk])
        record_site_terms(self._words_of(kind, pk))
        bump(SITE_INDEX)

    @staticmethod
    def _words_of(kind, pk):
        if kind == "pages":
            from wagtail.models import Page

            page = Page.objects.filter(pk=pk).specific().first()
            if page is not None and page.live:
                return vocabulary_of(page.title, *(t for _a, t in page_sections(page)))
        elif kind == "documents":
            from .models import DocumentText

            text = DocumentText.objects.filter(document_id=pk).first()
            if text is not None:
                return vocabulary_of(text.document.title, text.text)
        elif kind == "discussions":
            title = documents(kind).title
            found = kind_model(kind).objects.filter(pk=pk).values_list(title, flat=True)
            if found:
                return vocabulary_of(found[0])
        return set()

    def remove(self, kind, pk):
        """Nothing to remove: deleted rows leave the database and its index;
        cached results that may show them are forgotten."""
        bump(SITE_INDEX)

    def refresh_wagtail_index(self, progress=None):
        """Add rows to Wagtail's search index that bulk imports left out."""
        from wagtail.search.backends import get_search_backend

        backend = get_search_backend()
        for model in _wagtail_index_models():
            total = model.objects.count()
            done = 0
            for chunk in _chunks(model.objects.order_by("pk").iterator(2000), 2000):
                backend.add_bulk(model, chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)

    def rebuild(self, progress=None):
        from wagtail.models import Page

        from .documents import refresh_document_text

        Thread = kind_model("discussions")

        document_ids = list(
            visible_documents(None).model.objects.values_list("pk", flat=True)
        )
        page_ids = list(
            Page.objects.live().filter(depth__gt=1).values_list("pk", flat=True)
        )
        thread_ids = list(Thread.objects.values_list("pk", flat=True))
        self.refresh_wagtail_index(
            (lambda done, total: progress(done, total, "wagtail index"))
            if progress
            else None
        )
        refresh_thread_text()  # every thread in one statement
        counts = {}
        for kind, ids in (
            ("documents", document_ids),
            ("pages", page_ids),
            ("discussions", thread_ids),
        ):
            for number, pk in enumerate(ids, start=1):
                if kind == "documents":
                    refresh_document_text(pk)
                record_site_terms(self._words_of(kind, pk))
                if progress:
                    progress(number, len(ids), kind)
            counts[kind] = len(ids)
        return counts


def with_query_completions(text, items, limit=SUGGESTION_LIMIT):
    """Put searches for completed words first, e.g. "framew" -> "framework".

    The words come from the titles already found for this visitor, so a
    completion never reveals anything the visitor may not see.
    """
    words = clean_text(text).split(" ")
    last = words[-1].lower()
    if len(last) < 2:
        return items[:limit]
    completions = []
    for item in items:
        # Words, with apostrophes and hyphens only inside one ("l'analyse",
        # "e-learning"): "Members' notes" completes "memb" to "members".
        for word in re.findall(r"[^\W_]+(?:['-][^\W_]+)*", item["label"].lower()):
            if word.startswith(last) and word != last and word not in completions:
                completions.append(word)
    queries = []
    for word in completions[:2]:
        query = " ".join([*words[:-1], word])
        queries.append(
            {
                "label": query,
                "url": "/search/?" + urlencode({"q": query}),
                "kind": str(_("Search")),
            }
        )
    return (queries + items)[:limit]


def _wagtail_index_models():
    from wagtail.documents import get_document_model

    return [kind_model("discussions"), kind_model("posts"), get_document_model()]


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def vocabulary_of(*texts, limit=5000):
    words = set()
    for text in texts:
        words.update(re.findall(r"[^\W\d_]{3,40}", _text_of(text).lower()))
        if len(words) > limit:
            break
    return words


def record_site_terms(words):
    from .backends.database import record_terms

    record_terms(SITE_INDEX, words)


def get_site_engine():
    """The database engine, or Elasticsearch's when `ELASTICSEARCH_URL` is set."""
    path = getattr(settings, "SITE_SEARCH_ENGINE", "")
    if not path:
        path = (
            "search.backends.elasticsearch.ElasticsearchSiteEngine"
            if getattr(settings, "ELASTICSEARCH_URL", "")
            else "search.site.DatabaseSiteEngine"
        )
    return import_string(path)()
