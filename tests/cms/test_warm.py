"""The warm-up gunicorn's master runs before forking its workers (cms/warm.py)."""

from django.db import connections
from django.template import engines
from django.urls import clear_url_caches, get_resolver

from cms.warm import warm_up


def _cached_loader(engine):
    (loader,) = engine.engine.template_loaders  # the cached loader (DEBUG off)
    return loader


def test_warm_up_compiles_the_page_templates_and_builds_the_url_resolver():
    engine = engines["django"]
    loader = _cached_loader(engine)
    loader.reset()
    clear_url_caches()

    compiled = warm_up()

    names = set(loader.get_template_cache)
    for name in (
        "base.html",
        "includes/header.html",
        "events/event_page.html",
        "credentials/credential_detail.html",
        "community/thread.html",
    ):
        assert name in names, name
    assert compiled >= len(names) - 1
    assert get_resolver()._populated


def test_warm_up_leaves_no_database_connection_to_share_with_the_workers():
    connections.close_all()
    # SQLite's in-memory test database stays open through close_all(): what
    # matters is that the warm-up opens nothing new (and, without the db
    # fixture, any query it tried would fail this test).
    before = {conn.alias: conn.connection for conn in connections.all()}
    warm_up()
    assert {conn.alias: conn.connection for conn in connections.all()} == before
