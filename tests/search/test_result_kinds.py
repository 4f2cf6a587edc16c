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
    # Pages only: the grouped view shows the first few, and which come first
    # is the engine's ranking (SQLite's has none).
    response = client.get("/search/", {"q": query, "kind": "pages"})
    hits = response.context["result"].groups["pages"]
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


def test_documents_discussions_and_entries_are_named_in_a_visitors_words(
    client, home_page, django_capture_on_commit_callbacks
):
    from community.models import Space

    from .test_site import add_document, add_entry, add_thread

    space = Space.objects.create(name="Open forum", slug="open", visibility="public")
    with django_capture_on_commit_callbacks(execute=True):
        add_document("Pangolin report", ["Notes on the pangolin pilot."])
        add_thread(space, "Pangolin pilot", "How did the pangolin pilot go?")
        add_entry("Pangolin care", description="Caring for pangolins.")
    response = client.get("/search/", {"q": "pangolin"})
    groups = response.context["result"].groups
    assert [hit.label for hit in groups["documents"]] == ["Document"]
    assert [hit.label for hit in groups["discussions"]] == ["Discussion"]
    assert [hit.label for hit in groups["catalogue"]] == ["Micro-credential"]
    html = response.text
    assert '<span class="search-hit__kind">Document</span> · PDF' in html
    assert '<span class="search-hit__kind">Discussion</span> · Open forum' in html
    assert (
        '<span class="search-hit__kind">Micro-credential</span> · Seneca Polytechnic'
    ) in html
    # Suggestions name each title's kind the same way.
    suggestions = client.get("/search/suggest", {"q": "pangolin"}).json()
    kinds = {item["label"]: item["kind"] for item in suggestions["suggestions"]}
    assert kinds["Pangolin report"] == "Document"
    assert kinds["Pangolin pilot"] == "Discussion"
    assert kinds["Pangolin care"] == "Micro-credential"
