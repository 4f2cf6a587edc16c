"""`manage.py rebuild_search`: progress per kind, and on Elasticsearch the alias
swapped only once the new index is complete."""

import dataclasses
import io

import pytest
from django.core.management import call_command

from community.models import Post, Space, Thread
from search import registry
from search.backends import elasticsearch
from search.site import get_site_engine

pytestmark = pytest.mark.django_db


def make_threads():
    space = Space.objects.create(name="Open", slug="open", visibility="public")
    for number in range(3):
        thread = Thread.objects.create(space=space, title=f"Gecko notes {number}")
        Post.objects.create(thread=thread, body="gecko", body_html="<p>gecko</p>")


@pytest.fixture
def threads(engine_name):
    make_threads()


def test_rebuild_shows_progress_and_counts_per_kind(threads):
    out = io.StringIO()
    call_command("rebuild_search", "--only", "site", stdout=out)
    text = out.getvalue()
    assert "site: discussions" in text
    assert "[##############################] 3/3" in text
    assert "3 discussions" in text
    assert get_site_engine().search("gecko").counts["discussions"] == 3


def test_an_interrupted_rebuild_leaves_the_old_index_serving(
    use_elasticsearch, monkeypatch
):
    make_threads()
    engine = get_site_engine()
    engine.rebuild()
    assert engine.search("gecko").counts["discussions"] == 3
    Thread.objects.filter(title="Gecko notes 0").update(title="Newt notes 0")

    threads = registry.documents("discussions")

    def fails_half_way(thread):
        if thread.title.startswith("Gecko notes 2"):
            raise KeyboardInterrupt  # the operator stops it half way
        return threads.document(thread)

    monkeypatch.setitem(
        registry._documents,
        "discussions",
        dataclasses.replace(threads, document=fails_half_way),
    )
    with pytest.raises(KeyboardInterrupt):
        engine.rebuild()
    # The old index still answers, and the half-built one is gone.
    assert engine.search("gecko").counts["discussions"] == 3
    assert engine.search("newt").counts["discussions"] == 0
    alias = elasticsearch.alias_name("discussions")
    client = elasticsearch.client()
    assert len(client.indices.get(index=f"{alias}-*")) == 1


def test_rebuild_counts_every_kind_of_page(engine_name, home_page):
    """Each page model is indexed on its own; the count adds them up (the
    tree's root is no page: both engines leave it out)."""
    from wagtail.models import Page

    from tests.search.test_site import add_page

    add_page(home_page, "Heron survey", summary="The heron count.")
    out = io.StringIO()
    call_command("rebuild_search", "--only", "site", stdout=out)
    assert f"{Page.objects.filter(depth__gt=1).count()} pages" in out.getvalue()
