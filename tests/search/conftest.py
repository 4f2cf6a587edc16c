"""The engines search tests run against: the database, and a live
Elasticsearch-API engine.

`elasticsearch_url` (session): ELASTICSEARCH_URL from the environment when set
(a real cluster), else a local osmem-server started for the session
(tests/search/engine.py) and stopped at the end. In CI (CI set) an engine that
cannot start fails the run; elsewhere its tests are skipped with the reason.

`engine_name` runs a test once per engine with the settings that select it;
each Elasticsearch run uses its own index prefix, deleted afterwards.
"""

import os
import uuid

import pytest

from cms.settings.base import wagtail_search_backends

from .engine import EngineUnavailable, LocalEngine


def _in_ci():
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def elasticsearch_url():
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if url:
        yield url
        return
    engine = LocalEngine()
    try:
        engine.start()
    except EngineUnavailable as error:
        message = f"the local search engine (osmem-server) did not start: {error}"
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    try:
        yield engine.url
    finally:
        engine.stop()


@pytest.fixture(autouse=True)
def _no_hits_left_over():
    """Hits a test counted but did not hand over go with it (the process
    hands them over at exit, into the kept test database otherwise)."""
    from search import popular

    yield
    popular.take()


def delete_indexes(prefix):
    from search.backends.elasticsearch import client

    # Deleting by wildcard is refused by default (destructive_requires_name).
    for name in client().indices.get(index=f"{prefix}-*"):
        client().indices.delete(index=name)


@pytest.fixture
def use_elasticsearch(request, settings):
    """Select the Elasticsearch engines on a fresh index prefix."""
    settings.ELASTICSEARCH_URL = request.getfixturevalue("elasticsearch_url")
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:10]}"
    # Wagtail's own search on the same engine, as the settings configure it.
    settings.WAGTAILSEARCH_BACKENDS = wagtail_search_backends(
        settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_INDEX_PREFIX
    )
    yield settings
    delete_indexes(settings.ELASTICSEARCH_INDEX_PREFIX)


def on_stand_in():
    """Whether the Elasticsearch tests run on osmem-server, not a real cluster."""
    return not os.environ.get("ELASTICSEARCH_URL")


@pytest.fixture(params=["database", "elasticsearch"])
def engine_name(request, settings):
    if request.param == "elasticsearch":
        request.getfixturevalue("use_elasticsearch")
        differs = request.node.get_closest_marker("stand_in_differs")
        if differs and on_stand_in():
            # Strict: if the stand-in comes to behave as documented, the mark goes.
            request.applymarker(
                pytest.mark.xfail(reason=f"stand-in: {differs.args[0]}", strict=True)
            )
    else:
        settings.ELASTICSEARCH_URL = ""
    return request.param
