"""The stampede guard: when many visitors ask at once for a page that is not in
the cache (yet, or no longer), one request makes it and the others get the copy.

This module is also the URLconf of its views: they take a moment to answer, as
a busy page does, and count how often they are made.
"""

import threading
import time

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from cms import cache as page_cache
from cms.cache import cache_public

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.cms.test_cache_stampede")]

VISITORS = 6
renders = []
running = {"now": 0, "most": 0}
lock = threading.Lock()


def _render(text, status=200):
    with lock:
        renders.append(text)
        running["now"] += 1
        running["most"] = max(running["most"], running["now"])
    time.sleep(0.3)
    with lock:
        running["now"] -= 1
    return HttpResponse(text, status=status)


@cache_public
def programme(request):
    return _render("The forum's programme")


@cache_public
def sold_out(request):
    # An answer that is never stored (only 200s are), like a page with an error.
    return _render("Sold out", status=410)


urlpatterns = [path("programme/", programme), path("sold-out/", sold_out)]


@pytest.fixture(autouse=True)
def _counters():
    renders.clear()
    running.update(now=0, most=0)


def _all_at_once(url):
    """VISITORS anonymous visitors asking for `url` at the same moment."""
    start = threading.Barrier(VISITORS)
    responses = [None] * VISITORS

    def visit(number):
        start.wait()
        try:
            responses[number] = Client().get(url)
        finally:
            connection.close()

    threads = [threading.Thread(target=visit, args=(n,)) for n in range(VISITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


def test_a_rush_on_a_missing_page_makes_it_once_and_serves_everyone():
    responses = _all_at_once("/programme/")

    assert [r.status_code for r in responses] == [200] * VISITORS
    assert {r.content for r in responses} == {b"The forum's programme"}
    assert sorted(r["X-Page-Cache"] for r in responses) == ["hit"] * (VISITORS - 1) + [
        "miss"
    ]
    assert len(renders) == 1


def test_after_a_publish_the_rush_waits_for_the_new_page_not_the_old_one():
    assert Client().get("/programme/")["X-Page-Cache"] == "miss"
    page_cache.invalidate()  # what publishing a page does
    renders.clear()

    responses = _all_at_once("/programme/")

    assert len(renders) == 1
    assert sum(r["X-Page-Cache"] == "miss" for r in responses) == 1
    assert Client().get("/programme/")["X-Page-Cache"] == "hit"


def test_a_page_that_is_never_stored_is_not_made_one_visitor_at_a_time():
    first = _all_at_once("/sold-out/")  # learns that the page is not storable
    assert [r.status_code for r in first] == [410] * VISITORS
    assert len(renders) == VISITORS  # the others made it after waiting for nothing
    renders.clear()
    running.update(most=0)

    again = _all_at_once("/sold-out/")

    assert [r.status_code for r in again] == [410] * VISITORS
    assert all(r["X-Page-Cache"] == "bypass" for r in again)
    assert len(renders) == VISITORS
    assert running["most"] > 1  # made side by side, nobody waited


def test_with_redis_down_pages_are_made_without_waiting(settings):
    # Nothing listens on port 1: every cache call fails and is ignored, as
    # production's django-redis does (IGNORE_EXCEPTIONS). Nobody can be making
    # the page, so nobody must wait for it.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
    settings.PAGE_CACHE_WAIT_SECONDS = 30
    settings.PAGE_CACHE_POLL_SECONDS = 5  # a waiter would sleep this long at least
    started = time.monotonic()
    response = Client().get("/programme/")
    assert response.status_code == 200
    assert response.content == b"The forum's programme"
    assert time.monotonic() - started < 3  # made at once, without waiting
    assert len(renders) == 1
