"""The contract of the search interface, run against every engine.

Every test runs on the database engine and on a live Elasticsearch-API engine
(`engine_name` in tests/search/conftest.py: osmem-server started for the
session, or the cluster ELASTICSEARCH_URL names). Both engines must give the
same results and facet counts.
"""

import uuid
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Locale

from community.models import Post, Space, Thread, WorkingGroup
from credentials.models import MicroCredential, Provider
from credentials.search import index_credentials
from frameworks.pdf import simple_pdf
from search.base import SearchQuery
from search.registry import get_engine
from search.site import get_site_engine

pytestmark = pytest.mark.django_db


def entry(title, *, provider, level="introductory", cost="0", status="published"):
    credential = MicroCredential.objects.create(
        title=title,
        slug=uuid.uuid4().hex[:12],
        provider=provider,
        level=level,
        cost_cad=Decimal(cost),
        status=status,
        live=status == "published",
        description=f"{title}: a micro-credential.",
    )
    index_credentials([credential.pk])
    return credential


@pytest.fixture
def catalogue(engine_name):
    seneca = Provider.objects.create(name="Seneca", slug="seneca")
    humber = Provider.objects.create(name="Humber", slug="humber")
    entries = [
        entry("Welding basics", provider=seneca, cost="0"),
        entry("Advanced welding", provider=seneca, level="advanced", cost="800"),
        entry("Welding inspection", provider=humber, level="advanced", cost="300"),
        entry("Plumbing basics", provider=humber, cost="1500"),
        entry("Secret welding pilot", provider=humber, status="draft"),
    ]
    engine = get_engine("credentials")
    if hasattr(engine, "rebuild"):
        engine.rebuild()
    return {"seneca": seneca, "humber": humber, "entries": entries}


def run(text="", **kwargs):
    return get_engine("credentials").search(SearchQuery(text=text, **kwargs))


def titles(result):
    return sorted(hit.title for hit in result.hits)


def test_every_word_must_match(catalogue):
    assert titles(run("welding")) == [
        "Advanced welding",
        "Welding basics",
        "Welding inspection",
    ]
    assert titles(run("welding basics")) == ["Welding basics"]
    assert run("cryogenics").total == 0


def test_filters_or_within_a_facet_and_across_facets(catalogue):
    assert titles(run("welding", filters={"level": ("advanced",)})) == [
        "Advanced welding",
        "Welding inspection",
    ]
    both = run("", filters={"provider": ("seneca", "humber"), "level": ("advanced",)})
    assert both.total == 2
    assert titles(run("", filters={"provider": ("humber",), "cost": ("free",)})) == []


def test_facet_counts_ignore_their_own_selection(catalogue):
    result = run(
        "welding", filters={"level": ("advanced",)}, facets=("level", "provider")
    )
    levels = {value.value: value.count for value in result.facets["level"].values}
    assert levels["advanced"] == 2
    assert levels["introductory"] == 1  # counted as if level were not selected
    providers = {v.value: v.count for v in result.facets["provider"].values}
    assert providers == {"seneca": 1, "humber": 1}


def test_sorting_and_pagination(catalogue):
    first = run("", sort="title", per_page=2, page=1)
    second = run("", sort="title", per_page=2, page=2)
    assert [hit.title for hit in first.hits] == ["Advanced welding", "Plumbing basics"]
    assert [hit.title for hit in second.hits] == [
        "Welding basics",
        "Welding inspection",
    ]
    assert first.total == second.total == 4
    assert first.has_next and not second.has_next
    cheapest = run("", sort="cost")
    assert cheapest.hits[0].title == "Welding basics"
    assert cheapest.hits[-1].title == "Plumbing basics"


def test_did_you_mean_for_a_misspelt_word(catalogue):
    result = run("wleding")
    assert result.total == 0
    assert result.suggestions == ["welding"]


def test_no_did_you_mean_when_the_caller_asks_for_none(catalogue):
    # Site search has its own "did you mean" over every kind, and asks the
    # catalogue for none: it is not looked for (nor offered) on either engine.
    assert run("wleding", suggest=False).suggestions == []
    assert run("wleding").suggestions == ["welding"]


def test_did_you_mean_offers_words_not_stems(catalogue):
    # "inspections" is stemmed to "inspect" in English: the correction is
    # a word as written in the catalogue.
    result = run("inspectoin")
    assert result.total == 0
    assert result.suggestions == ["inspection"]


def test_nothing_indexed_yet_is_an_empty_result_until_the_first_write(
    engine_name, django_capture_on_commit_callbacks
):
    # No entry was ever saved: on Elasticsearch the index does not exist.
    result = run("welding", facets=("level",))
    assert not result.unavailable
    assert result.total == 0
    assert all(value.count == 0 for value in result.facets["level"].values)
    seneca = Provider.objects.create(name="Seneca", slug="seneca")
    with django_capture_on_commit_callbacks(execute=True):
        entry("Welding basics", provider=seneca)
    assert titles(run("welding")) == ["Welding basics"]


def test_unpublished_entries_are_never_found_nor_counted(catalogue):
    result = run("secret pilot", facets=("provider",))
    assert result.total == 0
    assert all(value.count == 0 for value in result.facets["provider"].values)
    assert result.suggestions == []


# --- Site search ------------------------------------------------------------


@pytest.fixture
def private_things(engine_name, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _private_things()


def _private_things():
    group = WorkingGroup.objects.create(name="Group", slug="group")
    private = Space.objects.create(
        name="Room", slug="room", visibility="group", working_group=group
    )
    public = Space.objects.create(name="Open", slug="open", visibility="public")
    for space, word in ((private, "ocelot"), (public, "lynx")):
        thread = Thread.objects.create(space=space, title=f"About the {word}")
        Post.objects.create(thread=thread, body=f"The {word} report.", body_html="")
    drafts = Collection.get_first_root_node().add_child(name="Restricted")
    CollectionViewRestriction.objects.create(
        collection=drafts, restriction_type=CollectionViewRestriction.LOGIN
    )
    Document = get_document_model()
    document = Document(title="Members' notes", collection=drafts)
    document.file.save("notes.pdf", ContentFile(simple_pdf("Notes", ["jaguar"])))
    return group


def test_site_search_hides_what_the_visitor_may_not_see(private_things, member):
    engine = get_site_engine()
    if hasattr(engine, "rebuild"):
        engine.rebuild()
    outsider = engine.search("ocelot")
    assert outsider.all_total == 0
    assert engine.search("lynx").counts["discussions"] == 1
    assert engine.search("jaguar").counts["documents"] == 0
    assert engine.search("jaguar", user=member).counts["documents"] == 1
    assert engine.search("ocelot", user=member).all_total == 0
    assert titles_of(engine.suggest("Members", user=member)) == ["Members' notes"]
    assert titles_of(engine.suggest("Members")) == []
    # Completed searches come from visible titles only.
    assert [s["label"] for s in engine.suggest("lyn")] == ["lynx", "About the lynx"]
    assert engine.suggest("oce") == []


def titles_of(suggestions):
    return [item["label"] for item in suggestions if item["kind"] != "Search"]


@pytest.mark.stand_in_differs(
    "osmem-server's match_phrase_prefix finds nothing when the last word is a "
    "stop word; Elasticsearch drops the stop word and the phrase still matches"
)
def test_suggestions_for_words_ending_on_a_stop_word(private_things):
    engine = get_site_engine()
    if hasattr(engine, "rebuild"):
        engine.rebuild()
    assert titles_of(engine.suggest("About the")) == ["About the lynx"]


def refresh_engine(engine_name):
    """Make what was just written searchable (Elasticsearch refreshes about
    once a second; the database needs nothing)."""
    if engine_name == "elasticsearch":
        from django.conf import settings

        from search.backends.elasticsearch import client

        client().indices.refresh(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*")


def test_what_is_saved_is_found_without_a_rebuild(
    engine_name, home_page, staff, member, django_capture_on_commit_callbacks
):
    """Pages and documents (Wagtail's own indexing on Elasticsearch), threads
    and hidden posts are found as soon as they are saved, even when no index
    existed yet; a hidden post only by moderators."""
    from community import services
    from tests.search.test_site import add_document, add_page

    with django_capture_on_commit_callbacks(execute=True):
        add_page(home_page, "Heron survey", summary="The heron count, by lake.")
        add_document("Field notes", ["Egret sightings near the marsh."])
        space = Space.objects.create(name="Open", slug="open", visibility="public")
        thread = Thread.objects.create(space=space, title="Spring walk")
        Post.objects.create(thread=thread, body="Bring boots.", body_html="")
        spam = Post.objects.create(thread=thread, body="Cheap kestrel pills.")
        services.hide_post(moderator=staff, post=spam)
    refresh_engine(engine_name)
    engine = get_site_engine()
    assert engine.search("heron lake").counts["pages"] == 1
    assert engine.search("egret marsh").counts["documents"] == 1
    assert engine.search("field notes").counts["documents"] == 1
    assert engine.search("spring boots").counts["discussions"] == 1
    assert engine.search("kestrel").all_total == 0
    assert engine.search("kestrel", user=member).all_total == 0
    found = engine.search("kestrel", user=staff)
    assert found.counts["discussions"] == 1
    assert "kestrel" in found.groups["discussions"][0].snippet.lower()
    # Shown again, it is part of the thread's text for everyone.
    with django_capture_on_commit_callbacks(execute=True):
        services.restore_post(moderator=staff, post=spam)
    refresh_engine(engine_name)
    assert engine.search("kestrel").counts["discussions"] == 1


def test_a_document_is_found_by_its_title_and_its_text_together(
    engine_name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = get_document_model()(
            title="Zebra finch", collection=Collection.get_first_root_node()
        )
        document.file.save("finch.txt", ContentFile(b"Seed mixes."), save=False)
        document.save()
    refresh_engine(engine_name)
    engine = get_site_engine()
    for words in ("zebra", "seed mixes", "zebra seed"):
        assert engine.search(words).counts["documents"] == 1, words
    assert engine.search("zebra cactus").counts["documents"] == 0


def needs_stemming(engine_name):
    """Stemming on the database engine is PostgreSQL's full-text search;
    on SQLite it matches words as written."""
    from django.db import connection

    if engine_name == "database" and connection.vendor != "postgresql":
        pytest.skip("stemming on the database engine needs PostgreSQL")


def test_pages_are_found_by_another_form_of_their_words(
    engine_name, home_page, django_capture_on_commit_callbacks
):
    needs_stemming(engine_name)
    from tests.search.test_site import add_page

    with django_capture_on_commit_callbacks(execute=True):
        add_page(home_page, "Heron count", summary="The yearly survey of the lake.")
    refresh_engine(engine_name)
    engine = get_site_engine()
    assert engine.search("surveys").counts["pages"] == 1
    assert engine.search("surveyed lakes").counts["pages"] == 1


# "évaluées" and "évaluation" share a French stem ("évalu"), not an English one.
FRENCH_SUMMARY = "Les compétences des apprenants sont évaluées par un jury."
FRENCH_QUERY = "évaluation"


def test_french_pages_are_found_by_french_forms_on_the_french_site(
    engine_name, client, home_page, django_capture_on_commit_callbacks
):
    needs_stemming(engine_name)
    from tests.search.test_site import add_page

    french = Locale.objects.get(language_code="fr")
    with django_capture_on_commit_callbacks(execute=True):
        french_home = home_page.copy_for_translation(french)
        french_home.save_revision().publish()
        add_page(french_home, "Reconnaissance des acquis", summary=FRENCH_SUMMARY)
        add_page(home_page, "Prior learning", summary="Skills are assessed.")
    refresh_engine(engine_name)

    def found(path, text):
        response = client.get(path, {"q": text})
        assert response.status_code == 200
        return [hit.title for hit in response.context["result"].groups["pages"]]

    assert found("/fr/search/", FRENCH_QUERY) == ["Reconnaissance des acquis"]
    # The English site finds English pages only.
    assert found("/search/", FRENCH_QUERY) == []
