"""Apps register what they make searchable; engines look it up by name."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.module_loading import import_string

from cms.http_cache import purge_tags

_indexes = {}

DEFAULT_ENGINE = "search.backends.database.DatabaseEngine"
ELASTICSEARCH_ENGINE = "search.backends.elasticsearch.ElasticsearchEngine"


def register(index_class):
    """Register a `SearchIndex` subclass (usable as a class decorator)."""
    index = index_class()
    _indexes[index.name] = index
    return index_class


# --- Who may see what: one registered rule per kind ---------------------------


@dataclass(frozen=True)
class Visibility:
    """An app's rule for which of its objects a user may find in site search.

    `visible_to(user)` returns the QuerySet of what `user` (None: an anonymous
    visitor) may see: the app's own rule (its managers' `visible_to`), asked
    at query time by both engines for results, counts, suggestions and "did you
    mean". `key` names the field the rule depends on (the space of a thread,
    the collection of a document, or the row itself): the Elasticsearch engine
    stores it in each indexed document and keeps only the values that the
    visible rows have. `depends_on` lists the models whose changes can change
    the rule's answer, so cached anonymous results are forgotten at once.
    `same_for_everyone` says the rule ignores the user (pages: live and
    public): members' searches may then share what is kept of that kind.
    `changes_at()`, when given, returns the next moment the rule's answer
    changes with the clock alone (a consultation opening or closing), or
    None: no result is kept past it.
    """

    kind: str
    visible_to: Callable
    key: str = "pk"
    depends_on: tuple = ()
    same_for_everyone: bool = False
    changes_at: Callable | None = None


_visibility = {}


def register_visibility(
    kind,
    visible_to,
    *,
    key="pk",
    depends_on=(),
    same_for_everyone=False,
    changes_at=None,
):
    """Register (or replace) the rule for `kind`; apps call it from their
    `search.py` module, which the search app imports at start-up."""
    _visibility[kind] = Visibility(
        kind, visible_to, key, tuple(depends_on), same_for_everyone, changes_at
    )


def visibility(kind):
    try:
        return _visibility[kind]
    except KeyError:
        raise LookupError(f"No visibility rule is registered for {kind!r}.") from None


def visible_to(kind, user):
    """What `user` may see of `kind`, by the rule its app registered."""
    return visibility(kind).visible_to(user)


def kind_model(kind):
    """The model of what `kind` finds, from its registered rule."""
    return visible_to(kind, None).model


def visible_keys(kind, user):
    """The distinct `key` values of what `user` may see of `kind`."""
    rule = visibility(kind)
    return [
        str(value)
        for value in rule.visible_to(user)
        .order_by()
        .values_list(rule.key, flat=True)
        .distinct()
    ]


# --- What an engine keeps a copy of: one registered builder per kind ---------


@dataclass(frozen=True)
class Documents:
    """What an app tells the engines about a kind that they match by its
    text (discussions), so search/ knows none of its fields.

    `objects()` is the QuerySet of everything an engine that keeps its own
    copy (Elasticsearch) indexes; `document(obj)` the text and display fields
    of one object: `title`, `body`, `url`, `meta` (a short label, such as the
    space's name) and `sort_date`. `shown(obj)` is what a hit or a suggestion
    shows of one object (`title`, `url`, `meta`), reading only the relations
    named in `related`; `title` names the field suggestions match and "did you
    mean" learns words from; `ordering` orders results and suggestions.

    A kind with `adds_to` holds text whose matches count as matches of that
    kind (posts, for the threads they belong to): `parent_key` names the field
    of the parent, `text` the field of the text, `ordering` which match comes
    first (it gives the snippet), and `objects()` the ones whose text is not
    already part of their parent's own (hidden posts): who may see each match
    is asked of the kind's own visibility rule.
    """

    kind: str
    objects: Callable
    document: Callable
    adds_to: str = ""
    parent_key: str = ""
    texts: Callable | None = None
    shown: Callable | None = None
    title: str = ""
    text: str = ""
    ordering: tuple = ()
    related: tuple = ()
    label: str = ""
    hit_label: str = ""


_documents = {}


def register_documents(
    kind,
    objects,
    document,
    *,
    adds_to="",
    parent_key="",
    texts=None,
    shown=None,
    title="",
    text="",
    ordering=(),
    related=(),
    label="",
    hit_label="",
):
    """Register (or replace) how `kind`'s objects are matched and indexed;
    apps call it from their `search.py`, beside `register_visibility`.

    `texts()`, when given, is the same text in one query for every object: a
    QuerySet of the kind's model annotated with `search_title` and
    `search_body`, from which the database engine stores its vectors in one
    statement (`search.threads`).

    With a `label` (the kind's name in a visitor's words, "Consultations";
    `hit_label` names one hit, "Consultation"), site search offers the kind
    as one of its own, after the built-in ones: the database engine matches
    `texts()` of the rows the kind's visibility rule lets the visitor see, and
    shows each hit as `document(obj)` describes it; Elasticsearch searches
    the kind's own index.
    """
    _documents[kind] = Documents(
        kind,
        objects,
        document,
        adds_to,
        parent_key,
        texts,
        shown,
        title,
        text,
        tuple(ordering),
        tuple(related),
        label,
        hit_label,
    )


def documents(kind):
    try:
        return _documents[kind]
    except KeyError:
        raise LookupError(f"No documents are registered for {kind!r}.") from None


def all_documents():
    return list(_documents.values())


def added_to(kind):
    """The registered kinds whose matches add to `kind` (posts to discussions)."""
    return [found for found in _documents.values() if found.adds_to == kind]


def all_visibility():
    return list(_visibility.values())


def get_index(name):
    try:
        return _indexes[name]
    except KeyError:
        raise LookupError(f"No search index named {name!r} is registered.") from None


def all_indexes():
    return list(_indexes.values())


def get_engine(index_name):
    """The configured engine for this index.

    `SEARCH_ENGINE` (a dotted path) chooses the engine class; the database engine
    is the default, so the site runs without any search service.
    """
    path = getattr(settings, "SEARCH_ENGINE", DEFAULT_ENGINE)
    # Site search (issue 7): Elasticsearch whenever ELASTICSEARCH_URL is set.
    if getattr(settings, "ELASTICSEARCH_URL", "") and path == DEFAULT_ENGINE:
        path = ELASTICSEARCH_ENGINE
    engine_class = import_string(path)
    return engine_class(get_index(index_name))


# --- Result cache versions ------------------------------------------------------


def cache_timeout():
    """Seconds a search result may be reused (SEARCH_CACHE_TIMEOUT; 0 turns it off)."""
    return int(getattr(settings, "SEARCH_CACHE_TIMEOUT", 300))


def keep_results_for(version_token, kinds):
    """Seconds a result that found something of `kinds` may be kept from now:
    `cache_timeout()`, cut short at the next moment one of those kinds' rules
    changes its answer with the clock alone (0: do not keep it), so nothing
    is shown past the moment it may no longer be found. That moment is itself
    kept under `version_token`, which every save of a model the rules depend
    on replaces: asking costs a query only after a change or once the moment
    has passed, and only for results holding such a kind."""
    from django.utils import timezone

    timeout = cache_timeout()
    now = timezone.now()
    rules = [_visibility[kind] for kind in kinds if kind in _visibility]
    for changes_at in {rule.changes_at for rule in rules} - {None}:
        name = f"{changes_at.__module__}.{changes_at.__qualname__}"
        key = f"search-rule-changes:{name}:{version_token}"
        moment = cache.get(key)
        if moment is None or (moment != "never" and moment <= now):
            moment = changes_at() or "never"
            cache.set(key, moment, cache_timeout())
        if moment != "never":
            timeout = min(timeout, int((moment - now).total_seconds()))
    return max(timeout, 0)


def _version_key(index_name):
    return f"search-index-version:{index_name}"


def version(index_name):
    """The index's version, part of the key of every result kept from it: every
    change to its rows replaces it (`bump`). A cache that cannot answer gives a
    new one each time, so nothing kept is ever read back ("no cache")."""
    key = _version_key(index_name)
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, None)
        value = cache.get(key)
    return value or uuid.uuid4().hex


def bump(index_name):
    """Forget every kept result of this index, now and again after the commit
    (the second covers a search that ran in between and kept what it saw), and
    purge the responses that show it from the shared HTTP cache."""
    key = _version_key(index_name)

    def forget():
        cache.set(key, uuid.uuid4().hex, None)

    forget()
    transaction.on_commit(forget)
    index = _indexes.get(index_name)
    purge_tags(["search", *getattr(index, "cache_tags", ())])
