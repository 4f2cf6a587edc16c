"""The search interface every engine implements.

A query goes in (`SearchQuery`), a result comes out (`SearchResult`). What can be
searched is described by the apps as a `SearchIndex` (registered with
`search.registry.register`): its queryset, facets, sort orders and text fields.
Engines (`search.backends.*`) turn the same description into database queries or
Elasticsearch requests, so views and the API never know which engine runs.
"""

import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 10
MAX_PER_PAGE = 100


def clean_text(text):
    """The query text as engines see it: capped in length, whitespace collapsed."""
    text = (text or "")[:MAX_QUERY_LENGTH]
    text = text.replace("\x00", "")
    return " ".join(text.split())


def query_words(text):
    """The words of a query (letters and digits), lower-cased and capped in number."""
    return re.findall(r"[^\W_]+", clean_text(text).lower())[:MAX_QUERY_WORDS]


@dataclass(frozen=True)
class Option:
    """One value of a fixed facet (a choice or a band) and the filter it stands for."""

    value: str
    label: Any
    q: Q


@dataclass(frozen=True)
class FacetSpec:
    """A facet of an index.

    `options` lists fixed values (choices, bands); their counts come from one
    conditional aggregation. Without options the facet's values are the distinct
    values of `field` (labelled by `label_field`), counted with one grouped query
    and cut to the `size` most frequent. Set `multivalued` for many-to-many fields.
    """

    name: str
    label: Any
    field: str = ""
    label_field: str = ""
    options: tuple[Option, ...] = ()
    size: int = 0
    multivalued: bool = False

    @property
    def is_fixed(self):
        return bool(self.options)

    def option(self, value):
        for option in self.options:
            if option.value == value:
                return option
        return None


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    # facet name -> selected values; values of one facet combine with OR,
    # facets combine with AND.
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the facets whose counts to compute (empty: none)
    facets: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    # facet name -> how many values to return, overriding the facet's size
    facet_sizes: dict[str, int] = field(default_factory=dict)
    # whether to look for a "did you mean" when nothing is found (site search
    # has its own, over every kind)
    suggest: bool = True

    def __post_init__(self):
        object.__setattr__(self, "text", clean_text(self.text))
        object.__setattr__(self, "page", max(1, int(self.page)))
        object.__setattr__(
            self, "per_page", min(MAX_PER_PAGE, max(1, int(self.per_page)))
        )

    @property
    def offset(self):
        return (self.page - 1) * self.per_page


@dataclass
class FacetValue:
    value: str
    label: Any
    count: int
    selected: bool = False


@dataclass
class FacetResult:
    name: str
    label: Any
    values: list[FacetValue]
    # more values exist than were returned
    has_more: bool = False

    @property
    def selected(self):
        return [value for value in self.values if value.selected]


def plain_facets(facets):
    """The facets with their labels as text in the active language: what a
    result cache keeps, under a key that names the language. A lazy label is
    rebuilt on unpickling as a new class each time: with a few dozen of them,
    that was a third of a cached catalogue page's time."""
    return {
        name: FacetResult(
            name=facet.name,
            label=str(facet.label),
            values=[
                FacetValue(v.value, str(v.label), v.count, v.selected)
                for v in facet.values
            ],
            has_more=facet.has_more,
        )
        for name, facet in facets.items()
    }


@dataclass
class SearchResult:
    query: SearchQuery
    hits: list
    total: int
    facets: dict[str, FacetResult] = field(default_factory=dict)
    # "did you mean" alternatives to the query text
    suggestions: list[str] = field(default_factory=list)
    # the engine's service could not be reached (Elasticsearch down): no results,
    # and pages say that search is unavailable
    unavailable: bool = False

    @property
    def num_pages(self):
        return max(1, math.ceil(self.total / self.query.per_page))

    @property
    def has_next(self):
        return self.query.page < self.num_pages

    @property
    def has_previous(self):
        return self.query.page > 1

    @property
    def start_index(self):
        return self.query.offset + 1 if self.total else 0

    @property
    def end_index(self):
        return self.query.offset + len(self.hits)


class SearchError(Exception):
    """A query an engine cannot run; `message` is fit to show to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class SearchIndex:
    """What an app makes searchable. Subclass it and register it.

    Override points:
    - `get_queryset(user)`: the rows this user may find (apply `visible_to`).
    - `search_queryset(user)`: what the database engine reads to find them.
    - `prepare_hits(queryset)`: add select_related/prefetch_related for results.
    - `vocabulary(obj)`: the words "did you mean" may propose for this object.
    - `shown(obj)`: what site search shows of one hit.
    """

    name = ""
    model = None
    facets: tuple[FacetSpec, ...] = ()
    # sort name -> order_by fields; "relevance" is the engine's own ranking
    sorts: dict[str, tuple[str, ...]] = {}
    default_sort = "relevance"
    # the sort used for "relevance" when there is no query text
    unranked_sort = ""
    # the stored tsvector field (PostgreSQL), weighted by the app
    search_vector_field = "search_vector"
    # text search configurations the vector was built with
    text_configs = ("english",)
    # (ORM path, weight) pairs for engines without full-text search; the
    # weight orders results by where the words matched
    text_fields: tuple[tuple[str, int], ...] = ()
    # the field of a row's title: suggestions as one types match it
    title_field = ""

    def get_queryset(self, user=None):
        return self.model._default_manager.all()

    def search_queryset(self, user=None):
        """The rows the database engine matches, filters, counts and sorts.

        By default `get_queryset(user)`. An index may return a narrower table
        whose primary keys are the model's and whose fields carry the same names
        as the facets and sorts use; hits are then read from `get_queryset`.
        """
        return self.get_queryset(user)

    def prepare_hits(self, queryset):
        return queryset

    def text_config_rows(self, config):
        """A Q for the rows whose vector was built with `config`, or None for all.

        A query is stemmed once per configuration; each stemming is matched
        only against the rows stemmed the same way, so the French stem of an
        English word does not find unrelated English words.
        """
        return None

    def refresh(self, progress=None):
        """Rebuild whatever the database engine keeps beside the rows; the count.

        `manage.py rebuild_search` calls it; most indexes keep nothing.
        """
        count = self.get_queryset().count()
        if progress:
            progress(count, count)
        return count

    def vocabulary(self, obj):
        return []

    def value_counts(self, facet, ids=None):
        """A many-valued facet's counts read without the search rows, or None.

        A QuerySet of rows `value`, `label` and `n`: how many of the rows
        anyone may find have each value, among the rows `ids` lists (an
        expression: the matches of a query) or, with None, among all of them
        (the catalogue as first opened). Return None (the default) to let the
        engine count through `search_queryset`; an index that keeps the
        facet's rows apart (a many-to-many table with its own copy of who may
        find the row) can count them there, without joining the wide rows.
        """
        return None

    def shown(self, obj):
        """What site search shows of one hit (read through `prepare_hits`):
        its `title`, `url`, `text` (for the snippet) and `meta` (a short
        label). Override it to name the model's own fields."""
        return {"title": str(obj), "url": obj.get_absolute_url()}

    def cache_audience(self, user):
        """A name for everyone who sees the same rows as this user, or None.

        Engines share cached results between users of one audience. Return None
        (the default) when visibility depends on the user in ways a name cannot
        capture; call `search.registry.bump(name)` whenever indexed rows change.
        """
        return None

    def get_facet(self, name):
        for facet in self.facets:
            if facet.name == name:
                return facet
        return None

    def clean_query(self, query):
        """Drop unknown facets, sorts and values so any URL gives a page."""
        filters = {}
        for name, values in query.filters.items():
            facet = self.get_facet(name)
            if facet is None:
                continue
            values = tuple(dict.fromkeys(str(v)[:100] for v in values if v))[:50]
            if facet.is_fixed:
                values = tuple(v for v in values if facet.option(v))
            if values:
                filters[name] = values
        sort = (
            query.sort
            if query.sort in self.sorts or query.sort == "relevance"
            else (self.default_sort)
        )
        facets = tuple(name for name in query.facets if self.get_facet(name))
        return SearchQuery(
            text=query.text,
            filters=filters,
            facets=facets,
            sort=sort,
            page=query.page,
            per_page=query.per_page,
            facet_sizes=query.facet_sizes,
            suggest=query.suggest,
        )
