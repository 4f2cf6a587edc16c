"""Search results name their kind in a visitor's words, never a model's name."""

import os

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(home_page, django_capture_on_commit_callbacks):
    from events import seed as events_seed
    from frameworks import seed as frameworks_seed

    with django_capture_on_commit_callbacks(execute=True):
        frameworks_seed.seed(open(os.devnull, "w"))  # noqa: SIM115
        events_seed.seed(open(os.devnull, "w"))  # noqa: SIM115


def _kinds(client, query):
    hits = client.get("/search/", {"q": query}).context["result"].groups["pages"]
    return {hit.title: hit.meta for hit in hits}


def test_pages_are_named_framework_event_webinar_or_page(client, seeded):
    kinds = _kinds(client, "publicly assisted colleges")
    assert kinds["Micro-certification framework and principles"] == "Framework"
    kinds = _kinds(client, "forum")
    forum = next(title for title in kinds if title.startswith("Micro-Certification"))
    assert kinds[forum] == "Event"
    assert kinds["Annual Forum"] == "Page"
    kinds = _kinds(client, "webinar")
    assert kinds["Micro-certification EOI webinar"] == "Webinar"
    assert not {"Standard page", "Event page", "Framework document"} & set(
        kinds.values()
    )
