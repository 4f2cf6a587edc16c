"""The Elasticsearch rows of bench/catalogue.py and bench/search.py.

No Elasticsearch server can be installed on our machines, so these rows run on
the stand-in engine the contract suite uses: osmem-server (an OpenSearch-API
engine over the Bleve library, in memory) behind the compatibility proxy,
started by tests/search/engine.py on free ports for the length of the run.
The figures say how our engine code and its queries behave against an
Elasticsearch API, not how fast a real cluster is: label them so.

osmem indexes about a hundred catalogue entries a second on this machine, so
the catalogue rows use the first CATALOGUE_SUBSET entries (by id), and say so
in their label; the site index (500 pages, 10,000 threads) is indexed whole.
"""

import contextlib
import time

from django.test import override_settings

LABEL = "stand-in engine"
CATALOGUE_SUBSET = 5_000


def label(count=None):
    """The row label's suffix: "(stand-in engine)" or with the subset size."""
    if count is None:
        return f" ({LABEL})"
    return f" ({LABEL}, {count:,} entries)"


@contextlib.contextmanager
def stand_in_engine(prefix="bench"):
    """Start osmem-server and point both search engines at it until exit."""
    from cms.settings.base import wagtail_search_backends
    from tests.search.engine import LocalEngine

    engine = LocalEngine().start()
    try:
        # A bulk request of 1,000 documents takes osmem several seconds.
        with override_settings(
            ELASTICSEARCH_URL=engine.url,
            ELASTICSEARCH_INDEX_PREFIX=prefix,
            ELASTICSEARCH_TIMEOUT=300,
            # Wagtail's own search (pages, documents' text) on it too, as
            # the settings configure it when ELASTICSEARCH_URL is set.
            WAGTAILSEARCH_BACKENDS=wagtail_search_backends(engine.url, prefix, 300),
        ):
            yield engine
    finally:
        engine.stop()


def index_catalogue(limit=CATALOGUE_SUBSET):
    """Index the first `limit` public catalogue entries; (count, seconds)."""
    from credentials.search import INDEX_NAME
    from search.backends.elasticsearch import swap_alias
    from search.registry import get_engine

    engine = get_engine(INDEX_NAME)
    entries = engine.index.prepare_hits(engine.index.get_queryset(None)).order_by("pk")[
        :limit
    ]
    started = time.monotonic()
    count = swap_alias(
        engine.name,
        engine.mappings(),
        (engine.document(entry) for entry in entries.iterator(chunk_size=1000)),
    )
    return count, time.monotonic() - started


def index_site():
    """Index pages, documents and threads whole; (counts, seconds)."""
    from search.site import get_site_engine

    started = time.monotonic()
    counts = get_site_engine().rebuild()
    return counts, time.monotonic() - started
