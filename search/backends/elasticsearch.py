"""Our Elasticsearch 8 code, through the elasticsearch-dsl API (`elasticsearch.dsl`).

Chosen when `ELASTICSEARCH_URL` is set (see `search.registry.get_engine` and
`search.site.get_site_engine`). Pages and documents are Wagtail's: its own
Elasticsearch backend indexes and searches them (`wagtail_elasticsearch`).
Ours are the indexes Wagtail's search cannot answer: the catalogue's facets
(`ElasticsearchEngine`, one index per registered `SearchIndex`, e.g.
`<prefix>-credentials`) and discussions, where every word may sit in the
title or any post (`<prefix>-discussions`, `<prefix>-posts` for hidden posts).
Each is behind an alias; `rebuild()` fills a new index and swaps the alias in
one request, so searching keeps working meanwhile.

Text fields are analysed twice, in English (the field) and French (`.fr`).
Facets are aggregations with explicit sizes; each facet's counts apply every
selected filter but its own, as the database engine does.

Privacy is applied at query time from the database, by each kind's registered
rule (`search.registry`), so the index never decides who sees what.

If Elasticsearch cannot be reached, searches return `unavailable=True` results
(the catalogue) or raise `SearchUnavailable` (site search): pages still render.
"""

import logging
import time
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Q
from django.db.models.expressions import OrderBy
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import Q as EQ
from elasticsearch.dsl import Search

from ..base import FacetResult, FacetValue, SearchResult, clean_text, query_words
from ..registry import (
    all_documents,
    documents,
    visibility,
    visible_keys,
    visible_to,
)
from ..site import (
    HIT_KINDS,
    DatabaseSiteEngine,
    SearchUnavailable,
    SiteHit,
    catalogue_suggestions,
    highlight,
    hit_label,
    page_kind,
    site_kinds,
    wagtail_page_search,
    with_query_completions,
)

logger = logging.getLogger(__name__)

UNREACHABLE = (TransportConnectionError, ConnectionTimeout, ApiError)
_clients = {}

TEXT = {
    "type": "text",
    "analyzer": "english",
    "fields": {
        "fr": {"type": "text", "analyzer": "french"},
        # Whole words, unstemmed, for "did you mean" in each language: the
        # term suggester proposes indexed terms, and a stem ("weld") is no
        # word to offer.
        "words": {"type": "text", "analyzer": "words_en"},
        "words_fr": {"type": "text", "analyzer": "words_fr"},
        # for sorting by a text field (e.g. title), as the database does
        "raw": {"type": "keyword", "ignore_above": 256},
    },
}
KEYWORD = {"type": "keyword"}
# The "words" analyzers: the language analyzers' tokenizer, elision and stop
# words, without their stemmers (Elasticsearch's documented rebuilds of the
# `english` and `french` analyzers, minus the stemmer and keyword marker).
ANALYSIS = {
    "filter": {
        "words_en_stop": {"type": "stop", "stopwords": "_english_"},
        "words_fr_stop": {"type": "stop", "stopwords": "_french_"},
        "words_fr_elision": {
            "type": "elision",
            "articles_case": True,
            "articles": ["l", "m", "t", "qu", "n", "s", "j", "d", "c"]
            + ["jusqu", "quoiqu", "lorsqu", "puisqu"],
        },
    },
    "analyzer": {
        "words_en": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "words_en_stop"],
        },
        "words_fr": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["words_fr_elision", "lowercase", "words_fr_stop"],
        },
    },
}
SETTINGS = {"number_of_shards": 1, "max_result_window": 200_000, "analysis": ANALYSIS}


def words_field(field):
    """The unstemmed subfield of a text field in the visitor's language."""
    language = translation.get_language() or ""
    return f"{field}.words_fr" if language.startswith("fr") else f"{field}.words"


def is_missing_index(error):
    """A 404 for an index or alias that does not exist (yet): nothing indexed.

    Elasticsearch answers a search of a missing index with
    `index_not_found_exception`; the index is created by the next write
    (`ensure_index`) or rebuild, and until then there is nothing to find.
    """
    return isinstance(error, NotFoundError) and (
        getattr(error, "error", "") == "index_not_found_exception"
        or "index_not_found" in str(error)
    )


def client():
    url = settings.ELASTICSEARCH_URL
    if url not in _clients:
        _clients[url] = Elasticsearch(
            url,
            request_timeout=getattr(settings, "ELASTICSEARCH_TIMEOUT", 5),
            max_retries=0,
            retry_on_timeout=False,
        )
    return _clients[url]


def alias_name(name):
    prefix = getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "microcert")
    return f"{prefix}-{name}"


class RebuildIncomplete(Exception):
    """A new index did not receive every document: the old one stays."""


def swap_alias(name, mappings, documents, *, progress=None, total=0):
    """Fill a new index, point the alias at it, delete the old ones.

    Searches keep using the old index until the single `update_aliases` call,
    which happens only once the new index holds every document sent; a
    rebuild that fails or is interrupted half way deletes its new index and
    leaves the old one serving.
    """
    es = client()
    alias = alias_name(name)
    new_index = f"{alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1000}"
    es.indices.create(index=new_index, settings=SETTINGS, mappings=mappings)
    done = 0
    try:
        for ok, _item in helpers.streaming_bulk(
            es,
            ({"_index": new_index, **doc} for doc in documents),
            chunk_size=1000,
            raise_on_error=True,
        ):
            done += 1
            if progress and ok:
                progress(done, total)
        es.indices.refresh(index=new_index)
        stored = es.count(index=new_index)["count"]
        if stored != done:
            raise RebuildIncomplete(
                f"{name}: {stored} of {done} documents stored; the old index stays."
            )
    except BaseException:
        es.options(ignore_status=404).indices.delete(index=new_index)
        raise
    old = list(es.indices.get_alias(name=alias).keys()) if _alias_exists(alias) else []
    actions = [{"remove": {"index": index, "alias": alias}} for index in old]
    actions.append({"add": {"index": new_index, "alias": alias}})
    es.indices.update_aliases(actions=actions)
    for index in old:
        es.indices.delete(index=index)
    return done


def per_kind(progress, kind):
    """The progress callback of one kind (`rebuild_search` shows each)."""
    if progress is None:
        return None
    return lambda done, total: progress(done, total, kind)


def _alias_exists(alias):
    return bool(client().indices.exists_alias(name=alias))


def ensure_index(name, mappings):
    """Create an empty index behind the alias when there is none yet."""
    if not _alias_exists(alias_name(name)):
        swap_alias(name, mappings, [])


# --- Translating the interface's Django filters -------------------------------

LOOKUPS = {"gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}


def es_field(path):
    return path.replace("__", "_")


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def q_to_es(q):
    """An Elasticsearch query for a Django Q of simple lookups (exact, in,
    gt/gte/lt/lte, isnull), combined with AND/OR, possibly negated."""
    parts = []
    for child in q.children:
        if isinstance(child, Q):
            parts.append(q_to_es(child))
            continue
        path, value = child
        field, _sep, lookup = path.rpartition("__")
        if lookup in LOOKUPS:
            parts.append(EQ("range", **{es_field(field): {lookup: _plain(value)}}))
        elif lookup == "in":
            parts.append(EQ("terms", **{es_field(field): [_plain(v) for v in value]}))
        elif lookup == "isnull":
            exists = EQ("exists", field=es_field(field))
            parts.append(~exists if value else exists)
        else:
            field = path if lookup != "exact" else field
            parts.append(EQ("term", **{es_field(field): _plain(value)}))
    if not parts:
        query = EQ("match_all")
    elif q.connector == Q.OR:
        query = EQ("bool", should=parts, minimum_should_match=1)
    else:
        query = EQ("bool", filter=parts)
    return ~query if q.negated else query


def _q_paths(q):
    for child in q.children:
        if isinstance(child, Q):
            yield from _q_paths(child)
        else:
            path = child[0]
            field, _sep, lookup = path.rpartition("__")
            yield field if lookup in (*LOOKUPS, "in", "isnull", "exact") else path


def _sort_fields(index):
    for fields in index.sorts.values():
        for item in fields:
            if isinstance(item, str):
                yield item.lstrip("-")
            elif isinstance(item, OrderBy):
                yield item.expression.name
            elif isinstance(item, F):
                yield item.name


def _es_sort(item, text_paths=()):
    def name(path):
        return es_field(path) + (".raw" if path in text_paths else "")

    if isinstance(item, str):
        desc = item.startswith("-")
        return {name(item.lstrip("-")): {"order": "desc" if desc else "asc"}}
    if isinstance(item, OrderBy):
        order = {"order": "desc" if item.descending else "asc"}
        if item.nulls_last:
            order["missing"] = "_last"
        elif item.nulls_first:
            order["missing"] = "_first"
        return {name(item.expression.name): order}
    return {name(item.name): {"order": "asc"}}


def _value(obj, path):
    """The value at an ORM path; lists for many-valued relations."""
    values = [obj]
    for part in path.split("__"):
        found = []
        for value in values:
            attr = getattr(value, part, None) if value is not None else None
            if hasattr(attr, "all") and callable(attr.all):
                found.extend(attr.all())
            else:
                found.append(attr)
        values = found
    values = [_plain(v) for v in values if v is not None]
    return values


# --- The engine behind a registered SearchIndex (the catalogue) ---------------


class ElasticsearchEngine:
    """The `SearchIndex` interface on Elasticsearch, same semantics as the
    database engine: AND of words, OR within a facet, AND across facets."""

    def __init__(self, index):
        self.index = index

    @property
    def name(self):
        return self.index.name

    # --- Mapping and documents ---------------------------------------------

    def fields(self):
        """ORM paths stored as keywords or values (facets, filters, sorts)."""
        paths = set()
        for facet in self.index.facets:
            if facet.field:
                paths |= {facet.field, facet.label_field or facet.field}
            for option in facet.options:
                paths |= set(_q_paths(option.q))
        paths |= set(_sort_fields(self.index))
        return paths - {path for path, _weight in self.index.text_fields}

    def mappings(self):
        properties = {es_field(path): TEXT for path, _w in self.index.text_fields}
        properties["title_sort"] = KEYWORD
        properties["pk"] = {"type": "long"}
        properties["suggest"] = {"type": "completion"}
        return {
            "dynamic_templates": [
                {"strings": {"match_mapping_type": "string", "mapping": KEYWORD}}
            ],
            "properties": properties,
        }

    def document(self, obj):
        source = {}
        for path in self.fields():
            values = _value(obj, path)
            source[es_field(path)] = values if len(values) != 1 else values[0]
        for path, _weight in self.index.text_fields:
            source[es_field(path)] = " ".join(map(str, _value(obj, path)))
        title = str(getattr(obj, self.index.title_field, "") or obj)
        source["title_sort"] = title.lower()[:200]
        source["pk"] = obj.pk
        source["suggest"] = {"input": [title[:200]]}
        return {"_id": str(obj.pk), "_source": source}

    def documents(self):
        queryset = self.index.prepare_hits(self.index.get_queryset(None))
        for obj in queryset.order_by("pk").iterator(chunk_size=2000):
            yield self.document(obj)

    def update(self, pk):
        """Index one row if the public may see it, else remove it."""
        try:
            obj = (
                self.index.prepare_hits(self.index.get_queryset(None))
                .filter(pk=pk)
                .first()
            )
            ensure_index(self.name, self.mappings())
            if obj is None:
                client().options(ignore_status=404).delete(
                    index=alias_name(self.name), id=str(pk)
                )
            else:
                doc = self.document(obj)
                client().index(
                    index=alias_name(self.name), id=doc["_id"], document=doc["_source"]
                )
        except UNREACHABLE:
            logger.warning(
                "Elasticsearch unreachable: %s %s not indexed", self.name, pk
            )
            raise

    def rebuild(self, progress=None):
        total = self.index.get_queryset(None).count()
        return swap_alias(
            self.name,
            self.mappings(),
            self.documents(),
            progress=progress,
            total=total,
        )

    # --- Searching -------------------------------------------------------------

    def text_query(self, text):
        words = query_words(text)
        if not words:
            return EQ("match_all")
        fields = []
        for path, weight in self.index.text_fields:
            fields += [f"{es_field(path)}^{weight}", f"{es_field(path)}.fr^{weight}"]
        return EQ(
            "bool",
            should=[
                EQ(
                    "multi_match",
                    query=" ".join(words),
                    fields=fields,
                    type="cross_fields",
                    operator="and",
                ),
                EQ(
                    "multi_match",
                    query=" ".join(words),
                    fields=fields,
                    type="phrase_prefix",
                ),
            ],
            minimum_should_match=1,
        )

    def facet_filter(self, facet, values):
        if facet.is_fixed:
            return EQ(
                "bool",
                should=[q_to_es(facet.option(value).q) for value in values],
                minimum_should_match=1,
            )
        return EQ("terms", **{es_field(facet.field): list(values)})

    def search(self, query, *, user=None):
        index = self.index
        query = index.clean_query(query)
        filters = {
            name: self.facet_filter(index.get_facet(name), values)
            for name, values in query.filters.items()
        }
        search = Search(using=client(), index=alias_name(self.name)).query(
            self.text_query(query.text)
        )
        if filters:
            search = search.post_filter(EQ("bool", filter=list(filters.values())))
        for name in query.facets:
            facet = index.get_facet(name)
            others = [q for other, q in filters.items() if other != name]
            bucket = search.aggs.bucket(
                f"f_{name}", "filter", EQ("bool", filter=others or [EQ("match_all")])
            )
            if facet.is_fixed:
                bucket.bucket(
                    "options",
                    "filters",
                    filters={
                        option.value: q_to_es(option.q) for option in facet.options
                    },
                )
            else:
                size = query.facet_sizes.get(name) or facet.size or 20
                terms = bucket.bucket(
                    "values", "terms", field=es_field(facet.field), size=size + 1
                )
                if self.labels_in_index(facet):
                    terms.bucket(
                        "label",
                        "terms",
                        field=es_field(facet.label_field or facet.field),
                        size=1,
                    )
                selected = list(query.filters.get(name, ()))
                if selected:
                    chosen = bucket.bucket(
                        "selected",
                        "terms",
                        field=es_field(facet.field),
                        include=selected,
                        size=len(selected),
                    )
                    if self.labels_in_index(facet):
                        chosen.bucket(
                            "label",
                            "terms",
                            field=es_field(facet.label_field or facet.field),
                            size=1,
                        )
        search = search.sort(*self.sort(query)).extra(
            track_total_hits=True, from_=query.offset, size=query.per_page
        )
        try:
            response = search.execute()
        except UNREACHABLE as error:
            if is_missing_index(error):
                return self.empty_result(query)
            logger.warning("Elasticsearch is unavailable", exc_info=True)
            return SearchResult(query=query, hits=[], total=0, unavailable=True)
        total = response.hits.total.value
        ids = [int(hit.meta.id) for hit in response.hits]
        rows = index.prepare_hits(index.get_queryset(user).filter(pk__in=ids))
        by_pk = {row.pk: row for row in rows}
        hits = [by_pk[pk] for pk in ids if pk in by_pk]
        facets = {
            name: self.facet_result(index.get_facet(name), response, query)
            for name in query.facets
        }
        suggestions = []
        if not total and query.text and query.suggest:
            suggestions = self.did_you_mean(query.text)
        return SearchResult(
            query=query, hits=hits, total=total, facets=facets, suggestions=suggestions
        )

    def empty_result(self, query):
        """Nothing indexed yet: no hits, and every facet's values counted 0."""
        facets = {}
        for name in query.facets:
            facet = self.index.get_facet(name)
            selected = set(query.filters.get(name, ()))
            values = [
                FacetValue(option.value, option.label, 0, option.value in selected)
                for option in facet.options
            ] or [FacetValue(value, value, 0, True) for value in sorted(selected)]
            facets[name] = FacetResult(name=name, label=facet.label, values=values)
        return SearchResult(query=query, hits=[], total=0, facets=facets)

    def sort(self, query):
        if query.sort == "relevance" and query_words(query.text):
            return ["_score", "title_sort", {"pk": "asc"}]
        sort = query.sort if query.sort != "relevance" else self.index.unranked_sort
        text_paths = {path for path, _weight in self.index.text_fields}
        return [
            *(_es_sort(item, text_paths) for item in self.index.sorts[sort]),
            {"pk": "asc"},
        ]

    def labels_in_index(self, facet):
        """Whether the facet's labels are keywords of the index.

        A label that is also searched as text (the skills' names) is analysed
        text in the index, which Elasticsearch does not aggregate: its labels
        come from the database instead (`labels_from_database`).
        """
        label = facet.label_field or facet.field
        return label not in {path for path, _weight in self.index.text_fields}

    def labels_from_database(self, facet, keys):
        """{value: label} of these facet values, in one query."""
        if not keys:
            return {}
        rows = (
            self.index.model._default_manager.filter(**{f"{facet.field}__in": keys})
            .values_list(facet.field, facet.label_field)
            .distinct()
        )
        return {str(value): label for value, label in rows}

    def facet_result(self, facet, response, query):
        aggregation = response.aggregations[f"f_{facet.name}"]
        selected = set(query.filters.get(facet.name, ()))
        if facet.is_fixed:
            buckets = aggregation.options.buckets
            values = [
                FacetValue(
                    value=option.value,
                    label=option.label,
                    count=buckets[option.value].doc_count,
                    selected=option.value in selected,
                )
                for option in facet.options
            ]
            return FacetResult(name=facet.name, label=facet.label, values=values)
        size = query.facet_sizes.get(facet.name) or facet.size or 20
        buckets = list(aggregation["values"].buckets)
        has_more = len(buckets) > size
        buckets = buckets[:size]
        if "selected" in aggregation.to_dict():
            shown = {bucket.key for bucket in buckets}
            buckets += [b for b in aggregation.selected.buckets if b.key not in shown]

        if self.labels_in_index(facet):

            def label(bucket):
                labels = bucket.label.buckets
                return labels[0].key if labels else bucket.key

        else:
            names = self.labels_from_database(facet, [b.key for b in buckets])

            def label(bucket):
                return names.get(str(bucket.key), bucket.key)

        values = [
            FacetValue(
                value=str(bucket.key),
                label=label(bucket),
                count=bucket.doc_count,
                selected=str(bucket.key) in selected,
            )
            for bucket in buckets
        ]
        shown = {value.value for value in values}
        for value in sorted(selected - shown):
            values.append(FacetValue(value=value, label=value, count=0, selected=True))
        return FacetResult(
            name=facet.name, label=facet.label, values=values, has_more=has_more
        )

    def did_you_mean(self, text):
        """The term suggester's correction, offered only if it finds something."""
        words = query_words(text)
        field = words_field(es_field(self.index.text_fields[0][0]))
        search = Search(using=client(), index=alias_name(self.name)).extra(size=0)
        for number, word in enumerate(words):
            search = search.suggest(
                f"w{number}", word, term={"field": field, "suggest_mode": "missing"}
            )
        response = search.execute()
        corrected = []
        for number, word in enumerate(words):
            options = response.suggest[f"w{number}"][0].options
            corrected.append(options[0].text if options else word)
        if corrected == words:
            return []
        candidate = " ".join(corrected)
        count = (
            Search(using=client(), index=alias_name(self.name))
            .query(self.text_query(candidate))
            .count()
        )
        return [candidate] if count else []

    def completions(self, prefix, limit=8):
        """Titles completing what was typed (only published rows are indexed)."""
        search = Search(using=client(), index=alias_name(self.name)).extra(size=0)
        search = search.suggest(
            "titles", prefix, completion={"field": "suggest", "size": limit}
        )
        response = search.execute()
        return [option.text for option in response.suggest.titles[0].options]


# --- Site-wide search ---------------------------------------------------------
#
# Pages and documents: Wagtail's own Elasticsearch backend
# (search.backends.wagtail_elasticsearch) indexes them as they are saved, and
# answers their searches here, filtered by the ids their kinds' rules let the
# visitor see. Discussions: an index of our own, because a thread is found when
# its title and its posts together hold every word, which Wagtail's search of
# one model at a time cannot ask. What goes in it comes from the app that owns
# the kind (search.registry.register_documents).

SITE_MAPPINGS = {
    "properties": {
        "title": {**TEXT, "boost": 1},
        "body": TEXT,
        "url": {"type": "keyword", "index": False},
        "meta": {"type": "keyword", "index": False},
        # the value the kind's visibility rule depends on (search.registry)
        "visibility_key": KEYWORD,
        # the object whose results this one's matches add to (hidden posts)
        "parent": KEYWORD,
        "sort_date": {"type": "date"},
    }
}
SITE_FIELDS = ["title^4", "title.fr^4", "body", "body.fr"]
# Matches of a kind that adds to another (hidden posts) read per search.
MAX_ADDED_MATCHES = 1000


def own_kinds():
    """The kinds kept in indexes of our own (registered documents)."""
    return [registered.kind for registered in all_documents()]


def words_query(words):
    """Every word, in the title or the body (a thread's title and its posts
    together), the last possibly the start of a word, as on the database."""
    text = " ".join(words)
    return EQ(
        "bool",
        should=[
            EQ(
                "multi_match",
                query=text,
                fields=SITE_FIELDS,
                operator="and",
                type="cross_fields",
            ),
            EQ(
                "multi_match",
                query=text,
                fields=SITE_FIELDS,
                operator="and",
                type="bool_prefix",
            ),
        ],
        minimum_should_match=1,
    )


def through_wagtail(search):
    """Run a search on Wagtail's backend: a missing index finds nothing, an
    engine that cannot be reached makes site search unavailable."""
    try:
        return search()
    except UNREACHABLE as exc:
        if is_missing_index(exc):
            return 0, []
        raise SearchUnavailable(str(exc)) from exc


class ElasticsearchSiteEngine(DatabaseSiteEngine):
    """Pages and documents through Wagtail's Elasticsearch backend, discussions
    from our own index, the catalogue from its registered index's engine;
    "did you mean" from the shared vocabulary."""

    # --- Documents of our own indexes ---------------------------------------

    @staticmethod
    def document(kind, obj):
        registered = documents(kind)
        source = dict(registered.document(obj))
        source["visibility_key"] = str(getattr(obj, visibility(kind).key))
        if registered.parent_key:
            source["parent"] = str(getattr(obj, registered.parent_key))
        return source

    # --- Index maintenance -------------------------------------------------

    def update(self, kind, pk):
        """Refresh one object of a kind kept in our own index.

        Pages and documents' text are indexed by Wagtail's backend as they are
        saved; here only the "did you mean" vocabulary learns their words.
        """
        super().update(kind, pk)
        if kind not in own_kinds():
            return
        ensure_index(kind, SITE_MAPPINGS)
        obj = documents(kind).objects().filter(pk=pk).first()
        if obj is None:
            self.remove(kind, pk)
            return
        client().index(
            index=alias_name(kind), id=str(pk), document=self.document(kind, obj)
        )

    def remove(self, kind, pk):
        super().remove(kind, pk)
        if kind in own_kinds():
            client().options(ignore_status=404).delete(
                index=alias_name(kind), id=str(pk)
            )

    def rebuild(self, progress=None):
        from .wagtail_elasticsearch import rebuild_site_models

        counts = rebuild_site_models(per_kind(progress, "wagtail index"))
        for registered in all_documents():
            queryset = registered.objects()
            kind = registered.kind
            sources = (
                {"_id": str(obj.pk), "_source": self.document(kind, obj)}
                for obj in queryset.order_by("pk").iterator(chunk_size=500)
            )
            counts[kind] = swap_alias(
                kind,
                SITE_MAPPINGS,
                sources,
                progress=per_kind(progress, kind),
                total=queryset.count(),
            )
        return counts

    # --- Searching: pages and documents through Wagtail --------------------

    def _pages(self, words, user, offset, limit):
        total, found = through_wagtail(
            lambda: wagtail_page_search(words, user, offset, limit)
        )
        return total, self._page_hits(found, words) if found else []

    def _documents(self, words, user, offset, limit):
        from wagtail.search.backends import get_search_backend

        from ..models import DocumentText

        def run():
            visible = list(visible_to("documents", user).values_list("pk", flat=True))
            results = get_search_backend().search(
                " ".join(words),
                DocumentText.objects.filter(document_id__in=visible).select_related(
                    "document"
                ),
                operator="and",
            )
            total = results.count()
            if not limit or offset >= total:
                return total, []
            return total, list(results[offset : offset + limit])

        total, texts = through_wagtail(run)
        return total, [
            SiteHit(
                kind="documents",
                title=text.document.title,
                url=text.document.url,
                snippet=highlight(text.text or text.document.title, words),
                meta=text.document.file_extension.upper(),
            )
            for text in texts
        ]

    # --- Searching: our own indexes ------------------------------------------

    def privacy_filter(self, kind, user):
        """Only what the kind's registered rule lets this user see: the
        documents whose visibility key is one of the visible rows' (asked of
        the database at every search)."""
        return EQ("terms", visibility_key=visible_keys(kind, user))

    def added_matches(self, kind, words, user):
        """{parent id: (text, url)} of the matches that add to `kind` (hidden
        posts, for their threads) which this user may see, by the adding
        kind's own rule."""
        found = {}
        for registered in all_documents():
            if registered.adds_to != kind:
                continue
            search = (
                Search(using=client(), index=alias_name(registered.kind))
                .query(words_query(words))
                .extra(size=MAX_ADDED_MATCHES)
                .source(["parent", "body", "url"])
            )
            try:
                response = search.execute()
            except UNREACHABLE as exc:
                if is_missing_index(exc):
                    continue
                raise SearchUnavailable(str(exc)) from exc
            by_pk = {hit.meta.id: hit for hit in response}
            if not by_pk:
                continue
            seen = visible_to(registered.kind, user).filter(pk__in=list(by_pk))
            for pk in seen.values_list("pk", flat=True):
                hit = by_pk[str(pk)]
                found.setdefault(hit.parent, (hit.body, hit.url))
        return found

    def kind_search(self, kind, words, user, query=None, added=None):
        """What this user may see of `kind` that matches every word (the last
        may be the start of a word, as on the database), or `query`, or is
        the parent of an added match.

        No fuzzy matching: a misspelt word finds nothing and gets a "did you
        mean", as on the database engine.
        """
        search = Search(using=client(), index=alias_name(kind))
        if query is None:
            query = words_query(words)
        if added:
            query = EQ(
                "bool",
                should=[query, EQ("ids", values=list(added))],
                minimum_should_match=1,
            )
        return search.query(
            EQ("bool", must=[query], filter=[self.privacy_filter(kind, user)])
        )

    def hits(self, kind, words, user, offset, limit):
        if kind not in own_kinds():
            return super().hits(kind, words, user, offset, limit)
        added = self.added_matches(kind, words, user)
        search = (
            self.kind_search(kind, words, user, added=added)
            .highlight("body", "title", fragment_size=200, number_of_fragments=1)
            .highlight_options(pre_tags=[MARK_START], post_tags=[MARK_END])
            .extra(track_total_hits=True, from_=offset, size=limit)
            .source(["title", "url", "meta", "body"])
        )
        try:
            response = search.execute()
        except UNREACHABLE as exc:
            if is_missing_index(exc):
                return 0, []
            raise SearchUnavailable(str(exc)) from exc
        hits = []
        for hit in response.hits:
            fragments = getattr(getattr(hit.meta, "highlight", None), "body", None)
            url = hit.url
            if fragments:
                snippet = marked_fragment(fragments[0])
            elif hit.meta.id in added:
                text, url = added[hit.meta.id]
                snippet = highlight(text, words)
            else:
                snippet = highlight(getattr(hit, "body", "") or hit.title, words)
            hits.append(
                SiteHit(
                    kind=kind,
                    title=hit.title,
                    url=url,
                    snippet=snippet,
                    # `hit.meta` is the hit's own (id, index): the field is
                    # read from the source.
                    meta=hit.to_dict().get("meta", ""),
                )
            )
        return response.hits.total.value, hits

    # --- Suggestions as you type ---------------------------------------------

    def suggest(self, text, *, user=None, limit=8):
        words = query_words(text)
        if not words or len(" ".join(words)) < 2:
            return []
        per_kind = max(2, limit // 2)
        found = self.wagtail_suggestions(" ".join(words), user, per_kind)
        for kind in own_kinds():
            # Kinds apps add (a label of their own) suggest nothing, as on
            # the database engine.
            if documents(kind).adds_to or documents(kind).label:
                continue
            search = self.kind_search(
                kind,
                words,
                user,
                query=EQ("match_phrase_prefix", title={"query": " ".join(words)}),
            ).extra(size=per_kind)
            try:
                response = search.source(["title", "url"]).execute()
            except UNREACHABLE as exc:
                if is_missing_index(exc):
                    continue
                raise SearchUnavailable(str(exc)) from exc
            found += [
                {
                    "label": hit.title,
                    "url": hit.url,
                    "kind": str(hit_label(kind) or site_kinds()[kind]),
                }
                for hit in response
            ]
        found += [
            {"label": label, "url": url, "kind": str(kind)}
            for label, url, kind in catalogue_suggestions(
                clean_text(text)[:100], user, per_kind
            )
        ]
        return with_query_completions(text, found, limit)

    def wagtail_suggestions(self, text, user, size):
        """Visible pages' and documents' titles completing the text, from
        Wagtail's autocomplete on its Elasticsearch indexes."""
        from wagtail.documents import get_document_model
        from wagtail.models import Page

        def run():
            found = []
            pages = Page.objects.filter(
                pk__in=[int(pk) for pk in visible_keys("pages", user)]
            ).autocomplete(text, operator="and")
            found += [
                {
                    "label": page.title,
                    "url": page.url,
                    "kind": page_kind(page.specific_class),
                }
                for page in pages[:size]
            ]
            visible = list(visible_to("documents", user).values_list("pk", flat=True))
            files = (
                get_document_model()
                .objects.filter(pk__in=visible)
                .autocomplete(text, operator="and")
            )
            found += [
                {
                    "label": doc.title,
                    "url": doc.url,
                    "kind": str(HIT_KINDS["documents"]),
                }
                for doc in files[:size]
            ]
            return 0, found

        return through_wagtail(run)[1]


MARK_START, MARK_END = "\x02", "\x03"


def marked_fragment(fragment):
    """Elasticsearch's highlighted fragment as HTML: escaped, then <mark>ed."""
    parts = []
    for number, piece in enumerate(fragment.split(MARK_START)):
        if number == 0:
            parts.append(escape(piece))
            continue
        matched, _sep, rest = piece.partition(MARK_END)
        parts.append(f"<mark>{escape(matched)}</mark>{escape(rest)}")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped
