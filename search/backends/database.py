"""The database engine: PostgreSQL full-text search, icontains on other databases.

On PostgreSQL the text matches a stored, weighted tsvector (GIN-indexed) with
prefix matching (`word:*`) in every configured language, ranked by ts_rank, so
weight A (title) outranks B, C and D. "Did you mean" uses pg_trgm similarity over
the index's vocabulary (`search.models.Term`). On SQLite (the local demo) every
word must occur in one of the index's text fields, and results are ordered by
the weights of the fields that matched.

Facet counts take a bounded number of queries: facets without a selection share
one set of filters, so all their fixed values are counted in one conditional
aggregation and each open-ended facet in one grouped query; a facet with a
selection is counted with the other facets' filters only (one more query each).
"""

import difflib
import hashlib
from collections import defaultdict

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import (
    SearchQuery as PgSearchQuery,
)
from django.contrib.postgres.search import (
    SearchRank,
    TrigramSimilarity,
)
from django.core.cache import cache
from django.db import connections, router
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.utils import translation

from ..base import FacetResult, FacetValue, SearchResult, plain_facets, query_words
from ..models import Term
from ..registry import cache_timeout, version


class WordPrefix(PgSearchQuery):
    """A word as a prefix, stemmed by a configuration or as typed (a tsquery).

    Empty when the configuration drops the word as a stop word: AND-ed with
    the other words it then asks for nothing, where the typed form alone
    would ask for a word that no vector of this language keeps.
    """

    def __init__(self, word, config):
        super().__init__(f"{word}:*", config=config, search_type="raw")

    def as_sql(self, compiler, connection, **extra_context):
        config_sql, config_params = compiler.compile(self.source_expressions[0])
        word_sql, word_params = compiler.compile(self.source_expressions[1])
        stemmed = f"to_tsquery({config_sql}, {word_sql})"
        stemmed_params = [*config_params, *word_params]
        sql = (
            f"(CASE WHEN numnode({stemmed}) = 0 THEN ''::tsquery "
            f"ELSE {stemmed} || to_tsquery('simple'::regconfig, {word_sql}) END)"
        )
        return sql, [*stemmed_params, *stemmed_params, *word_params]


class DatabaseEngine:
    def __init__(self, index):
        self.index = index

    @property
    def is_postgres(self):
        alias = router.db_for_read(self.index.model)
        return connections[alias].vendor == "postgresql"

    # --- The one entry point --------------------------------------------------

    def search(self, query, *, user=None):
        """Run the query; identical queries are answered from the cache.

        The cache holds facet counts, the total and the ids of the hits under
        the index's audience for this user and its version, which every change
        to the indexed rows bumps (`search.registry.bump`). The hits are read
        again through `get_queryset(user)`, so nothing hidden since comes back.
        """
        query = self.index.clean_query(query)
        key = self._cache_key(query, user)
        if key:
            cached = cache.get(key)
            if cached is not None:
                facets, total, suggestions, hit_ids = cached
                return SearchResult(
                    query=query,
                    hits=self._hits_by_ids(hit_ids, user),
                    total=total,
                    facets=facets,
                    suggestions=suggestions,
                )
        result = self._search(query, user)
        if key:
            cache.set(
                key,
                (
                    plain_facets(result.facets),
                    result.total,
                    result.suggestions,
                    [hit.pk for hit in result.hits],
                ),
                cache_timeout(),
            )
        return result

    def _cache_key(self, query, user):
        audience = self.index.cache_audience(user)
        if audience is None or not cache_timeout():
            return None
        digest = hashlib.sha256(repr(query).encode()).hexdigest()
        language = translation.get_language() or ""
        return (
            f"search:{self.index.name}:{version(self.index.name)}:{audience}:"
            f"{language}:{digest}"
        )

    def _hits_by_ids(self, ids, user):
        if not ids:
            return []
        by_pk = {
            obj.pk: obj
            for obj in self.index.prepare_hits(
                self.index.get_queryset(user).filter(pk__in=ids)
            )
        }
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def _page_of_hits(self, ordered, query, user, *, count=False):
        """(hits, total): the requested page of an ordered queryset of rows.

        With `count`, the same query counts every row (a window function), so a
        ranked search reads its matches once; the total is None when the page
        is past the end. Rows from a narrower table than the model
        (`SearchIndex.search_queryset`) are read back as objects through
        `get_queryset(user)`.
        """
        window = slice(query.offset, query.offset + query.per_page)
        if count:
            ordered = ordered.annotate(_total=Window(Count("pk")))
        if ordered.model is self.index.model:
            hits = list(self.index.prepare_hits(ordered)[window])
            total = hits[0]._total if count and hits else None
            return hits, total
        rows = list(ordered.values_list("pk", "_total" if count else "pk")[window])
        total = rows[0][1] if count and rows else None
        return self._hits_by_ids([row[0] for row in rows], user), total

    def _filter_qs(self, query, model):
        return {
            name: self.facet_q(self.index.get_facet(name), values, model)
            for name, values in query.filters.items()
        }

    def _search(self, query, user):
        base = self.index.search_queryset(user)
        matched = self.match(base, query.text)
        filter_qs = self._filter_qs(query, base.model)
        if query_words(query.text) and query.facets:
            facets, total, hits = self.grouped_counts(matched, query, filter_qs, user)
        else:
            facets, total = self.facet_counts(matched, query, filter_qs)
            filtered = matched.filter(*filter_qs.values())
            ranked = query.sort == "relevance" and query_words(query.text)
            hits = []
            if total is None and ranked:
                # Ranking reads every match anyway: count them in the same query.
                ordered = self.order(filtered, query)
                hits, total = self._page_of_hits(ordered, query, user, count=True)
                if total is None:
                    total = filtered.count() if query.offset else 0
            else:
                if total is None:
                    total = filtered.count()
                if total and query.offset < total:
                    ordered = self.order(filtered, query)
                    hits, _total = self._page_of_hits(ordered, query, user)
        suggestions = []
        if not total and query.text and query.suggest:
            suggestions = self.suggest(query.text, base)
        return SearchResult(
            query=query,
            hits=hits,
            total=total,
            facets=facets,
            suggestions=suggestions,
        )

    def queryset(self, query, *, user=None):
        """All matching objects, ordered, without facets: for exports."""
        query = self.index.clean_query(query)
        base = self.index.search_queryset(user)
        matched = self.match(base, query.text)
        ordered = self.order(
            matched.filter(*self._filter_qs(query, base.model).values()), query
        )
        if base.model is self.index.model:
            return ordered
        # Narrow search rows (PostgreSQL only): the objects, in the same order.
        ids = list(ordered.values_list("pk", flat=True))
        position = Func(
            Value(ids, output_field=ArrayField(BigIntegerField())),
            F("pk"),
            function="array_position",
            output_field=IntegerField(),
        )
        return (
            self.index.get_queryset(user)
            .filter(pk__in=ids)
            .alias(position=position)
            .order_by("position")
        )

    def rebuild(self, progress=None):
        """Rebuild what the index keeps for the database (`SearchIndex.refresh`)."""
        return self.index.refresh(progress)

    # --- Text -----------------------------------------------------------------

    @staticmethod
    def _config_query(words, config):
        """Every word, as a prefix both stemmed by `config` and as typed.

        Stemming a word cut short can change it ("analy" becomes "anali" in
        English, which "analytics" never does), so the typed letters match
        too: a visitor finds "Analytics" from "analy". A stop word of `config`
        ("de", "for") is left out, as the stored vectors leave it out.
        """
        combined = None
        for word in words:
            either = WordPrefix(word, config)
            combined = either if combined is None else combined & either
        return combined

    def _tsquery(self, words):
        combined = None
        for config in self.index.text_configs:
            part = self._config_query(words, config)
            combined = part if combined is None else combined | part
        return combined

    def match(self, queryset, text):
        words = query_words(text)
        if not words:
            return queryset
        if self.is_postgres:
            condition = Q()
            for config in self.index.text_configs:
                part = Q(
                    **{
                        self.index.search_vector_field: self._config_query(
                            words, config
                        )
                    }
                )
                rows = self.index.text_config_rows(config)
                condition |= part if rows is None else part & rows
            return queryset.filter(condition)
        for word in words:
            condition = Q()
            for path, _weight in self.index.text_fields:
                condition |= self._contains(queryset.model, path, word)
            queryset = queryset.filter(condition)
        return queryset

    @staticmethod
    def _contains(model, path, word):
        # Paths through a many-to-many relation use a subquery so rows never repeat.
        if "__" in path:
            return Q(
                pk__in=model._default_manager.filter(
                    **{f"{path}__icontains": word}
                ).values("pk")
            )
        return Q(**{f"{path}__icontains": word})

    def order(self, queryset, query):
        sort = query.sort
        words = query_words(query.text)
        if sort == "relevance" and words:
            if self.is_postgres:
                rank = SearchRank(
                    F(self.index.search_vector_field), self._tsquery(words)
                )
            else:
                model = queryset.model
                rank = Value(0)
                for path, weight in self.index.text_fields:
                    for word in words:
                        rank = rank + Case(
                            When(self._contains(model, path, word), then=weight),
                            default=0,
                            output_field=IntegerField(),
                        )
            return queryset.annotate(search_rank=rank).order_by(
                "-search_rank", *self.index.sorts.get("title", ()), "pk"
            )
        if sort == "relevance":
            sort = self.index.unranked_sort
        return queryset.order_by(*self.index.sorts[sort], "pk")

    # --- Facets ---------------------------------------------------------------

    def facet_q(self, facet, values, model):
        """The filter for these selected values of one facet (OR within a facet)."""
        if facet.is_fixed:
            condition = Q()
            for value in values:
                condition |= facet.option(value).q
            return condition
        if facet.multivalued:
            return Q(
                pk__in=model._default_manager.filter(
                    **{f"{facet.field}__in": values}
                ).values("pk")
            )
        return Q(**{f"{facet.field}__in": values})

    def facet_counts(self, matched, query, filter_qs):
        """Counts for the requested facets, and the total if it came for free.

        Each facet's counts apply every selected filter except its own, so a
        visitor sees how many results picking another value of it would give.
        """
        groups = defaultdict(list)
        for name in query.facets:
            groups[name if name in filter_qs else None].append(
                self.index.get_facet(name)
            )
        results = {}
        total = None
        for excluded, facets in groups.items():
            queryset = matched.filter(
                *(q for name, q in filter_qs.items() if name != excluded)
            )
            fixed = [facet for facet in facets if facet.is_fixed]
            aggregates = {}
            if excluded is None:
                aggregates["total"] = Count("pk")
            for facet in fixed:
                for number, option in enumerate(facet.options):
                    aggregates[f"{facet.name}__{number}"] = Count("pk", filter=option.q)
            row = queryset.aggregate(**aggregates) if aggregates else {}
            if excluded is None:
                total = row["total"]
            for facet in fixed:
                results[facet.name] = self._fixed_result(
                    facet,
                    query,
                    [row[f"{facet.name}__{n}"] for n in range(len(facet.options))],
                )
            for facet in facets:
                if facet.is_fixed:
                    continue
                # A many-valued facet may be counted without the search rows:
                # over the whole index (no words, no other filter), or over
                # the ids of the rows that pass the other filters.
                if not query_words(query.text) and set(filter_qs) <= {facet.name}:
                    counted = self.index.value_counts(facet)
                elif facet.multivalued and self.is_postgres:
                    ids = queryset.order_by().values("pk")
                    counted = self.index.value_counts(facet, ids)
                else:
                    counted = None
                if counted is not None:
                    results[facet.name] = self._counted_values(facet, query, counted)
                else:
                    results[facet.name] = self._term_counts(queryset, facet, query)
        # Keep the index's facet order.
        ordered = {name: results[name] for name in query.facets if name in results}
        return ordered, total

    @staticmethod
    def _value_rows(queryset, facet, values=None):
        """The facet's values (all, or these) with `n`, the rows having each.

        One filter() call: a many-valued facet's value is tested on the value
        counted, not on any other value of the same row.
        """
        lookups = {f"{facet.field}__isnull": False}
        if values is not None:
            lookups[f"{facet.field}__in"] = values
        return (
            queryset.filter(**lookups)
            .values(facet.field, facet.label_field)
            .annotate(n=Count("pk"))
            .order_by("-n", facet.label_field)
        )

    def _term_counts(self, queryset, facet, query):
        size = query.facet_sizes.get(facet.name) or facet.size or 20
        selected = set(query.filters.get(facet.name, ()))

        rows = list(self._value_rows(queryset, facet)[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size]
        shown = {row[facet.field] for row in rows}
        missing = selected - shown
        if missing:
            # Selected values stay visible (and can be unticked) beyond the top N.
            rows += list(self._value_rows(queryset, facet, missing))
            shown |= {row[facet.field] for row in rows}
        values = [
            FacetValue(
                value=str(row[facet.field]),
                label=row[facet.label_field],
                count=row["n"],
                selected=row[facet.field] in selected,
            )
            for row in rows
        ]
        # A selected value with no result under the other filters still shows.
        for value in sorted(selected - shown):
            values.append(FacetValue(value=value, label=value, count=0, selected=True))
        return FacetResult(
            name=facet.name, label=facet.label, values=values, has_more=has_more
        )

    # --- Text queries: every count from one grouped read ------------------------

    def grouped_counts(self, matched, query, filter_qs, user):
        """Facet counts, total and hits of a text query in three reads of its rows.

        A text query matches a part of the index, and each facet's counts apply
        every selected filter but its own, so counting facet by facet would read
        those rows once per selected facet. Here one query groups the matched
        rows by the single-valued open facets (the catalogue's provider: a few
        groups) and counts, per group, each fixed value and each open facet
        under every filter but its own, as conditional aggregates; the open
        facets' own filters are then applied to the groups in Python. Each
        many-valued facet (skills) costs one grouped query, and the page of hits
        is ranked and cut in the database. Query count: 2, plus one per
        many-valued facet, plus loading the page of hits.
        """
        index = self.index
        requested = set(query.facets)
        selected = query.filters
        fixed = [f for f in index.facets if f.is_fixed and f.name in requested]
        single = [f for f in index.facets if not f.is_fixed and not f.multivalued]
        multi = [f for f in index.facets if f.multivalued and f.name in requested]
        in_sql = {
            name: q
            for name, q in filter_qs.items()
            if name not in {facet.name for facet in single}
        }

        def all_but(name):
            condition = Q()
            for other, q in in_sql.items():
                if other != name:
                    condition &= q
            return condition

        aggregates = {"_hits": Count("pk", filter=all_but(None))}
        for facet in fixed:
            others = all_but(facet.name)
            for number, option in enumerate(facet.options):
                aggregates[f"_{facet.name}__{number}"] = Count(
                    "pk", filter=option.q & others
                )
        for facet in single:
            aggregates[f"_{facet.name}"] = Count("pk", filter=all_but(facet.name))
        # On PostgreSQL the same read also lists the ids of the hits and of
        # each many-valued facet's pool, so the later queries look rows up by
        # id instead of matching the text again.
        pools = {}
        if self.is_postgres:
            aggregates["_hit_ids"] = ArrayAgg("pk", filter=all_but(None))
            for facet in multi:
                if facet.name in in_sql:
                    pools[facet.name] = f"_{facet.name}_ids"
                    aggregates[pools[facet.name]] = ArrayAgg(
                        "pk", filter=all_but(facet.name)
                    )
                else:
                    pools[facet.name] = "_hit_ids"
        keys = [path for facet in single for path in (facet.field, facet.label_field)]
        groups = list(matched.order_by().values(*keys).annotate(**aggregates))

        def ids_of(column):
            """The rows listed in this column by the groups that pass every filter."""
            ids = []
            for group in groups:
                if passes(group, None):
                    ids += group[column] or ()
            return RawSQL("SELECT unnest(%s)", (ids,)) if ids else []

        def passes(group, skip):
            """Whether this group meets the open facets' filters, but `skip`'s."""
            for facet in single:
                if (
                    facet.name != skip
                    and facet.name in selected
                    and str(group[facet.field]) not in selected[facet.name]
                ):
                    return False
            return True

        total = sum(group["_hits"] for group in groups if passes(group, None))
        results = {}
        for facet in fixed:
            counts = [0] * len(facet.options)
            for group in groups:
                if passes(group, None):
                    for number in range(len(facet.options)):
                        counts[number] += group[f"_{facet.name}__{number}"]
            results[facet.name] = self._fixed_result(facet, query, counts)
        for facet in single:
            if facet.name not in requested:
                continue
            counted = {}
            for group in groups:
                value = group[facet.field]
                if value is None or not passes(group, facet.name):
                    continue
                label, n = counted.get(str(value), (group[facet.label_field], 0))
                counted[str(value)] = (label, n + group[f"_{facet.name}"])
            counted = {key: item for key, item in counted.items() if item[1]}
            chosen = set(selected.get(facet.name, ()))
            results[facet.name] = self._top_values(facet, query, counted, chosen)
        for facet in multi:
            counted = None
            if facet.name in pools:
                ids = ids_of(pools[facet.name])
                counted = self.index.value_counts(facet, ids)
                pool = matched.model._default_manager.filter(pk__in=ids)
            if counted is not None:
                results[facet.name] = self._counted_values(facet, query, counted)
                continue
            if facet.name not in pools:
                pool = matched.filter(
                    *(q for name, q in filter_qs.items() if name != facet.name)
                )
            size = query.facet_sizes.get(facet.name) or facet.size or 20
            chosen = set(selected.get(facet.name, ()))

            top = list(self._value_rows(pool, facet)[: size + 1])
            missing = chosen - {str(row[facet.field]) for row in top}
            if missing:
                top += list(self._value_rows(pool, facet, missing))
            counted = {
                str(row[facet.field]): (row[facet.label_field], row["n"]) for row in top
            }
            result = self._top_values(facet, query, counted, chosen)
            result.has_more = len(top) > size
            results[facet.name] = result

        hits = []
        if total and query.offset < total:
            # Only the hits are ranked and sorted, and only one page is read.
            if self.is_postgres:
                filtered = matched.model._default_manager.filter(
                    pk__in=ids_of("_hit_ids")
                )
            else:
                filtered = matched.filter(*filter_qs.values())
            hits, _total = self._page_of_hits(self.order(filtered, query), query, user)
        ordered = {name: results[name] for name in query.facets if name in results}
        return ordered, total, hits

    def _counted_values(self, facet, query, counted):
        """The top values of a many-valued facet from the index's own counts
        (`SearchIndex.value_counts`: rows `value`, `label`, `n`), and every
        selected one."""
        size = query.facet_sizes.get(facet.name) or facet.size or 20
        chosen = set(query.filters.get(facet.name, ()))
        ordered = counted.order_by(F("n").desc(nulls_last=True), "label")
        top = [row for row in ordered[: size + 1] if row["n"]]
        has_more = len(top) > size
        missing = chosen - {str(row["value"]) for row in top}
        if missing:
            top += [row for row in ordered.filter(value__in=missing) if row["n"]]
        counts = {str(row["value"]): (row["label"], row["n"]) for row in top}
        result = self._top_values(facet, query, counts, chosen)
        result.has_more = has_more
        return result

    @staticmethod
    def _fixed_result(facet, query, counts):
        """A fixed facet's values with these counts, in the facet's order."""
        chosen = set(query.filters.get(facet.name, ()))
        return FacetResult(
            name=facet.name,
            label=facet.label,
            values=[
                FacetValue(
                    value=option.value,
                    label=option.label,
                    count=counts[number],
                    selected=option.value in chosen,
                )
                for number, option in enumerate(facet.options)
            ],
        )

    def _top_values(self, facet, query, counted, chosen):
        """The most frequent values of an open facet, and every selected one."""
        size = query.facet_sizes.get(facet.name) or facet.size or 20
        ranked = sorted(counted.items(), key=lambda item: (-item[1][1], item[1][0]))
        shown = ranked[:size]
        shown_keys = {key for key, _value in shown}
        shown += [item for item in ranked[size:] if item[0] in chosen]
        values = [
            FacetValue(value=key, label=label, count=n, selected=key in chosen)
            for key, (label, n) in shown
        ]
        for value in sorted(chosen - shown_keys - {key for key, _v in shown}):
            values.append(FacetValue(value=value, label=value, count=0, selected=True))
        return FacetResult(
            name=facet.name,
            label=facet.label,
            values=values,
            has_more=len(ranked) > size,
        )

    # --- Did you mean ---------------------------------------------------------

    def closest_word(self, word):
        return closest_term(word, (self.index.name,), postgres=self.is_postgres)

    def suggest(self, text, base):
        """A corrected query when the words, spelt otherwise, would find something."""
        words = query_words(text)
        corrected = [self.closest_word(word) or word for word in words]
        if corrected == words:
            return []
        candidate = " ".join(corrected)
        # A bounded count, not exists(): LIMIT 1 leads the planner to scan the
        # whole table when it wrongly expects an early match.
        if self.match(base, candidate).order_by().values("pk")[:100].count():
            return [candidate]
        return []


def closest_term(word, index_names, *, postgres):
    """The word itself when these indexes' vocabulary has it, else the closest."""
    terms = Term.objects.filter(index_name__in=index_names)
    if terms.filter(word=word).exists():
        return word
    if postgres:
        return (
            terms.filter(word__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity", "word")
            .values_list("word", flat=True)
            .first()
        )
    vocabulary = list(terms.values_list("word", flat=True).distinct()[:50_000])
    close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
    return close[0] if close else None


def record_terms(index_name, words):
    """Add words to an index's vocabulary (existing ones are left alone)."""
    words = {word for word in words if 2 < len(word) <= 100}
    Term.objects.bulk_create(
        [Term(index_name=index_name, word=word) for word in words],
        ignore_conflicts=True,
        batch_size=1000,
    )
