"""Apps register what they make searchable; engines look it up by name."""

from django.conf import settings
from django.utils.module_loading import import_string

from cms.cache import bump_data_version, data_version, data_version_keys

_indexes = {}

DEFAULT_ENGINE = "search.backends.database.DatabaseEngine"
ELASTICSEARCH_ENGINE = "search.backends.elasticsearch.ElasticsearchEngine"


def register(index_class):
    """Register a `SearchIndex` subclass (usable as a class decorator)."""
    index = index_class()
    _indexes[index.name] = index
    return index_class


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


def _data_name(index_name):
    return f"search-index:{index_name}"


def version(index_name):
    """The index's version: every change to its rows replaces it (`bump`)."""
    return data_version(_data_name(index_name))


def page_cache_keys(*index_names):
    """The version keys of these indexes, each made if missing: what a page that
    shows their rows depends on in the shared page cache (cms.cache)."""
    return data_version_keys(*(_data_name(name) for name in index_names))


def bump(index_name):
    """Forget every cached result of this index (and every cached page that shows
    its rows), now and again after the commit: the second bump covers a search
    that ran between the change and the commit and cached what it saw then."""
    bump_data_version(_data_name(index_name))
