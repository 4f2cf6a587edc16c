"""A cache never decides access (docs/caching.md).

Production keeps Django's cache in Redis with IGNORE_EXCEPTIONS: when Redis
fails, reads miss and writes are lost, silently. Whatever the cache held or
failed to forget, a page made private is not served to an outsider: view
restrictions are read from the database on every request.
"""

import socket

import pytest
from django.core.cache import caches
from django.test import Client
from wagtail.models import PageViewRestriction

from cms.models import StandardPage

pytestmark = pytest.mark.django_db

WHY = "/why-micro-certification-now/"


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def broken_redis(settings):
    """Switch every cache to a Redis that is not there, as production would
    be configured for it; returns a function that does it (mid-test)."""

    def switch():
        settings.CACHES = {
            alias: {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
                "OPTIONS": {"IGNORE_EXCEPTIONS": True},
            }
            for alias in ("default", "renditions")
        }
        assert caches["default"].get("anything") is None  # fails, silently
        assert not caches["default"].add("anything", 1)

    return switch


def test_a_restriction_added_while_the_cache_fails_is_enforced_at_once(
    client, home_page, member, broken_redis, purges, django_capture_on_commit_callbacks
):
    before = Client().get(WHY)
    assert before.status_code == 200
    assert "public" in before["Cache-Control"]

    broken_redis()
    page = StandardPage.objects.get(slug="why-micro-certification-now")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.LOGIN
        )

    outsider = Client().get(WHY)
    assert outsider.status_code == 302
    assert "next=/why-micro-certification-now/" in outsider["Location"]
    assert "transversal skills" not in outsider.content.decode()
    assert "no-store" in outsider["Cache-Control"]
    # The shared cache in front is told at once, whatever Redis does.
    assert {"pages", f"page-{page.pk}"} <= purges.tags()

    client.force_login(member)
    allowed = client.get(WHY)
    assert "transversal skills" in allowed.content.decode()
    assert "no-store" in allowed["Cache-Control"]


def test_pages_are_served_without_any_cache(home_page, broken_redis):
    broken_redis()
    response = Client().get(WHY)
    assert response.status_code == 200
    assert "transversal skills" in response.content.decode()
    # The menu, the footer and the site settings come from the database.
    assert 'aria-label="Main"' in response.content.decode()
