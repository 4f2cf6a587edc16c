"""Site-wide search at /search/: what a visitor finds, and what stays private."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from cms.models import StandardPage
from community.models import Membership, Post, Space, Thread, WorkingGroup
from credentials.models import MicroCredential, Provider
from credentials.search import index_credentials
from frameworks.pdf import simple_pdf
from search.registry import bump
from search.site import SITE_INDEX
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

Document = get_document_model()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (index tasks) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def add_page(home, title, *, body=(), publish=True, **fields):
    page = StandardPage(title=title, body=list(body), live=publish, **fields)
    home.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def add_document(title, lines, *, collection=None, filename="report.pdf"):
    document = Document(
        title=title, collection=collection or Collection.get_first_root_node()
    )
    document.file.save(filename, ContentFile(simple_pdf(title, lines)), save=False)
    document.save()
    return document


def restricted_collection(group):
    collection = Collection.get_first_root_node().add_child(name="Drafts")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    return collection


def add_thread(space, title, body):
    thread = Thread.objects.create(space=space, title=title)
    Post.objects.create(thread=thread, body=body, body_html=f"<p>{body}</p>")
    return thread


def add_entry(title, *, status="published", live=True, description=""):
    provider, _ = Provider.objects.get_or_create(
        slug="seneca", defaults={"name": "Seneca Polytechnic"}
    )
    entry = MicroCredential.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        provider=provider,
        status=status,
        live=live,
        description=description,
    )
    index_credentials([entry.pk])
    return entry


def search(client, q, **params):
    return client.get("/search/", {"q": q, **params})


# --- Finding things -----------------------------------------------------------


def test_word_only_inside_an_uploaded_pdf_finds_the_document(client, commit):
    with commit():
        document = add_document(
            "Annual report", ["Learners praised the quixotical assessment design."]
        )
    response = search(client, "quixotical")
    assert response.status_code == 200
    html = response.text
    assert "Annual report" in html
    assert document.url in html
    assert "<mark>quixotical</mark>" in html
    assert response.context["result"].counts["documents"] == 1


def test_page_text_links_to_the_heading_of_the_matching_section(
    client, home_page, commit
):
    with commit():
        page = add_page(
            home_page,
            "Quality guide",
            body=[
                ("heading", {"text": "Introduction", "level": "h2", "anchor": ""}),
                ("paragraph", "<p>Opening words.</p>"),
                ("heading", {"text": "Employer review", "level": "h2", "anchor": ""}),
                ("paragraph", "<p>Partners sign an endorsement letter.</p>"),
            ],
        )
    response = search(client, "endorsement")
    assert f'href="{page.url}#employer-review"' in response.text
    assert "<mark>endorsement</mark>" in response.text


def test_results_are_grouped_by_kind_with_counts_and_a_filter(
    client, home_page, commit
):
    space = Space.objects.create(name="Open", slug="open", visibility="public")
    with commit():
        add_page(home_page, "Portfolio pathways", summary="About portfolio work.")
        add_document("Portfolio checklist", ["portfolio"])
        add_thread(space, "Portfolio questions", "How long is a portfolio?")
    add_entry("Portfolio design", description="Build a portfolio.")
    response = search(client, "portfolio")
    result = response.context["result"]
    assert result.counts == {
        "pages": 1,
        "documents": 1,
        "discussions": 1,
        "catalogue": 1,
    }
    for kind in ("pages", "documents", "discussions", "catalogue"):
        assert f'<a href="?q=portfolio&amp;kind={kind}"' in response.text

    only_documents = search(client, "portfolio", kind="documents")
    assert only_documents.context["result"].groups.keys() == {"documents"}
    assert "Portfolio checklist" in only_documents.text
    assert "Portfolio questions" not in only_documents.text
    # The counts of the other kinds stay visible for switching.
    assert only_documents.context["result"].counts["discussions"] == 1


def test_filtered_results_are_paginated(client, commit):
    space = Space.objects.create(name="Open", slug="open", visibility="public")
    with commit():
        for number in range(13):
            add_thread(space, f"Rubric question {number}", "rubric")
    first = search(client, "rubric", kind="discussions")
    assert len(first.context["result"].groups["discussions"]) == 10
    assert 'rel="next"' in first.text
    second = search(client, "rubric", kind="discussions", page=2)
    assert len(second.context["result"].groups["discussions"]) == 3
    assert 'rel="prev"' in second.text
    titles = {hit.title for hit in first.context["result"].groups["discussions"]}
    titles |= {hit.title for hit in second.context["result"].groups["discussions"]}
    assert len(titles) == 13


def test_snippets_escape_the_text_before_marking_matches(client, commit):
    space = Space.objects.create(name="Open", slug="open", visibility="public")
    with commit():
        add_thread(space, "Markup", '<script>alert("x")</script> zebrafish <b>bold</b>')
    response = search(client, "zebrafish")
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;" in response.text or "alert(" in response.text
    assert "<mark>zebrafish</mark>" in response.text


# --- Privacy ------------------------------------------------------------------


def test_draft_page_is_found_by_nobody_until_published(
    client, home_page, staff, commit
):
    with commit():
        page = add_page(
            home_page,
            "Unreleased plan",
            summary="The marsupial roadmap.",
            publish=False,
        )
    assert "Unreleased plan" not in search(client, "marsupial").text
    client.force_login(staff)
    assert search(client, "marsupial").context["result"].counts["pages"] == 0
    with commit():
        page.save_revision().publish()
    assert "Unreleased plan" in search(client, "marsupial").text


def test_restricted_document_is_found_only_by_its_group(client, commit):
    group = Group.objects.create(name="Reviewers")
    with commit():
        add_document(
            "Draft framework 2.0",
            ["The pangolin clause is still under review."],
            collection=restricted_collection(group),
        )
    outsider = search(client, "pangolin")
    assert "Draft framework 2.0" not in outsider.text
    assert outsider.context["result"].counts["documents"] == 0
    assert outsider.context["result"].all_total == 0
    # Not even a suggestion gives the title away.
    assert client.get("/search/suggest", {"q": "Draft fra"}).json() == {
        "suggestions": []
    }

    member = make_user("reviewer@example.org")
    client.force_login(make_user("plain@example.org"))
    assert search(client, "pangolin").context["result"].counts["documents"] == 0
    member.groups.add(group)
    client.force_login(member)
    inside = search(client, "pangolin")
    assert "Draft framework 2.0" in inside.text
    assert client.get("/search/suggest", {"q": "Draft fra"}).json()["suggestions"]


def test_private_post_is_found_only_by_working_group_members(client, commit):
    group = WorkingGroup.objects.create(name="Assessment group", slug="assess")
    space = Space.objects.create(
        name="Group room", slug="room", visibility="group", working_group=group
    )
    with commit():
        add_thread(space, "Confidential budget", "The narwhal budget line is secret.")
    outsider = search(client, "narwhal")
    assert "Confidential budget" not in outsider.text
    assert outsider.context["result"].counts["discussions"] == 0
    assert client.get("/search/suggest", {"q": "Confidential"}).json() == {
        "suggestions": []
    }

    member = make_user("wg@example.org")
    client.force_login(member)
    assert search(client, "narwhal").context["result"].counts["discussions"] == 0
    Membership.objects.create(working_group=group, user=member, status="active")
    inside = search(client, "narwhal")
    assert "Confidential budget" in inside.text
    assert "<mark>narwhal</mark>" in inside.text


def test_hidden_and_deleted_posts_are_not_found(client, commit):
    from django.utils import timezone

    space = Space.objects.create(name="Open", slug="open", visibility="public")
    with commit():
        thread = add_thread(space, "Welcome", "Hello everyone.")
        Post.objects.create(
            thread=thread, body="axolotl spam", body_html="", hidden_at=timezone.now()
        )
    assert search(client, "axolotl").context["result"].counts["discussions"] == 0


def test_discussion_search_follows_post_edits_hiding_and_deletion(client, commit):
    from django.utils import timezone

    space = Space.objects.create(name="Open", slug="open", visibility="public")
    with commit():
        thread = add_thread(space, "Welcome", "Hello everyone.")
        post = Post.objects.create(thread=thread, body="About quokkas.", body_html="")

    def found(word):
        return search(client, word).context["result"].counts["discussions"]

    assert found("quokka") == 1
    with commit():
        post.body = "About wombats."
        post.save()
    assert (found("quokka"), found("wombat")) == (0, 1)
    with commit():
        post.hidden_at = timezone.now()
        post.save()
    assert found("wombat") == 0
    with commit():
        post.hidden_at = None
        post.save()
    assert found("wombat") == 1
    with commit():
        post.delete()
    assert found("wombat") == 0
    assert found("hello") == 1


def test_moderators_find_words_in_hidden_posts(client, commit):
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    space = Space.objects.create(name="Open", slug="open", visibility="public")
    with commit():
        thread = add_thread(space, "Welcome", "Hello everyone.")
        Post.objects.create(
            thread=thread, body="axolotl spam", body_html="", hidden_at=timezone.now()
        )
    moderator = make_user("mod@example.org")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_post"))
    client.force_login(moderator)
    response = search(client, "axolotl")
    assert response.context["result"].counts["discussions"] == 1
    assert "<mark>axolotl</mark>" in response.text


def test_unpublished_catalogue_entries_are_not_found(client):
    add_entry("Welding basics", description="Learn tungsten welding.")
    add_entry("Tungsten advanced", status="draft", live=False)
    result = search(client, "tungsten").context["result"]
    assert result.counts["catalogue"] == 1
    assert [hit.title for hit in result.groups["catalogue"]] == ["Welding basics"]


# --- Index updates ------------------------------------------------------------


def test_index_follows_publish_unpublish_and_delete(client, home_page, commit):
    with commit():
        page = add_page(home_page, "Forum recap", summary="The capybara keynote.")
    assert search(client, "capybara").context["result"].counts["pages"] == 1
    with commit():
        page.unpublish()
    assert search(client, "capybara").context["result"].counts["pages"] == 0
    with commit():
        page.save_revision().publish()
    assert search(client, "capybara").context["result"].counts["pages"] == 1
    with commit():
        page.delete()
    assert search(client, "capybara").context["result"].counts["pages"] == 0


def test_deleted_document_and_thread_leave_the_results(client, commit):
    space = Space.objects.create(name="Open", slug="open", visibility="public")
    with commit():
        document = add_document("Okapi notes", ["okapi"])
        thread = add_thread(space, "Okapi thread", "okapi")
    assert search(client, "okapi").context["result"].all_total == 2
    with commit():
        document.delete()
        thread.delete()
    assert search(client, "okapi").context["result"].all_total == 0


# --- Suggestions, did you mean, promotions ------------------------------------


def test_suggestions_as_you_type_list_visible_titles(client, home_page, commit):
    space = Space.objects.create(name="Open", slug="open", visibility="public")
    with commit():
        page = add_page(home_page, "Micro-certification forum 2026")
        add_thread(space, "Forum travel grants", "Who can apply?")
        add_page(home_page, "Forum draft agenda", publish=False)
    suggestions = client.get("/search/suggest", {"q": "forum"}).json()["suggestions"]
    labels = [item["label"] for item in suggestions]
    assert "Micro-certification forum 2026" in labels
    assert "Forum travel grants" in labels
    assert "Forum draft agenda" not in labels
    assert {"label": page.title, "url": page.url, "kind": "Page"} in suggestions
    assert client.get("/search/suggest", {"q": "f"}).json() == {"suggestions": []}


def test_did_you_mean_offers_the_correct_spelling(client, home_page, commit):
    with commit():
        add_page(home_page, "Assessment rubrics", summary="Rubrics for assessment.")
    response = search(client, "asessment")
    assert response.context["result"].all_total == 0
    assert response.context["result"].suggestions == ["assessment"]
    assert 'href="?q=assessment"' in response.text


def test_did_you_mean_never_proposes_a_private_word(client, commit):
    group = WorkingGroup.objects.create(name="Group", slug="group")
    space = Space.objects.create(
        name="Room", slug="room", visibility="group", working_group=group
    )
    with commit():
        add_thread(space, "Wolverine merger", "wolverine")
    response = search(client, "wolverene")
    assert response.context["result"].suggestions == []
    assert "wolverine" not in response.text.lower()


def test_promoted_results_come_first_and_queries_are_logged(client, home_page, commit):
    with commit():
        target = add_page(home_page, "Registration help", summary="How to sign up.")
        draft = add_page(home_page, "Secret promo", publish=False)
        add_page(home_page, "Forum venue", summary="The forum is in Toronto.")
    query = Query.get("forum")
    SearchPromotion.objects.create(
        query=query, page=target, description="Start here.", sort_order=0
    )
    SearchPromotion.objects.create(query=query, page=draft, sort_order=1)
    response = search(client, "forum")
    html = response.text
    assert html.index("Registration help") < html.index("Forum venue")
    assert "Start here." in html
    assert "Secret promo" not in html
    search(client, "Forum")
    assert Query.get("forum").hits == 2
    popular = list(Query.get_most_popular())
    assert popular[0].query_string == "forum"


def test_a_new_promotion_shows_at_once_and_a_deleted_one_goes(
    client, home_page, commit
):
    with commit():
        target = add_page(home_page, "Registration help", summary="How to sign up.")
    assert "Start here." not in search(client, "registration").text
    promotion = SearchPromotion.objects.create(
        query=Query.get("registration"),
        page=target,
        description="Start here.",
        sort_order=0,
    )
    assert "Start here." in search(client, "Registration").text
    promotion.delete()
    assert "Start here." not in search(client, "registration").text
    assert Query.get("registration").hits == 3


# --- Odd input and query counts -----------------------------------------------

ODD_QUERIES = [
    "",
    " ",
    "a",
    "x" * 5000,
    "word " * 300,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "((",
    "&|!:*<->",
    "日本語の検索",
    "🦄 emoji",
    "%_%",
    "\\",
    "a:* & b",
    "-",
    "C++",
]


@pytest.mark.parametrize("q", ODD_QUERIES)
def test_odd_queries_return_a_page(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert client.get("/search/suggest", {"q": q}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x", "page": "abc"},
        {"q": "x", "page": "-3"},
        {"q": "x", "page": "99999999999999999999"},
        {"q": "x", "kind": "nope"},
        {"q": "x", "kind": "documents", "page": "500"},
        {"q": ["a", "b"]},
    ],
)
def test_odd_parameters_return_a_page(client, params):
    assert client.get("/search/", params).status_code == 200


def _fill(home_page, space, rows):
    for number in range(rows):
        add_thread(space, f"Badge thread {number}", "badge talk")
        add_document(f"Badge document {number}", ["badge"])
        add_entry(f"Badge course {number}", description="badge")
    for number in range(min(rows, 10)):
        add_page(home_page, f"Badge page {number}", summary="badge")


# Per kind a count and one page of hits (pages: Wagtail's search, then the
# specific pages), plus the privacy lookups (the view restrictions of
# collections, read from the database); the site and its settings are kept
# (cms.sites); the query log is written later, by a task (search.popular).
# Each kind an app adds (frameworks' consultation clauses and comments) is
# one query more: its count and first hits together.
GROUPED_QUERIES = 8
# One kind loaded, the others only counted.
FILTERED_QUERIES = 8


@pytest.mark.postgres
@pytest.mark.parametrize("rows", [5, 50])
def test_search_page_query_count_does_not_grow_with_results(
    client, home_page, rows, commit, settings, django_assert_num_queries
):
    settings.SEARCH_HITS_FLUSH_SECONDS = 3600  # hits handed over later, as live
    space = Space.objects.create(name="Open", slug="open", visibility="public")
    with commit():
        _fill(home_page, space, rows)
    # Warm the content-type cache; twice, as the first request creates the
    # site's settings, which renews the page fragments (cms.fragments).
    search(client, "badge")
    search(client, "badge")
    bump(SITE_INDEX)  # count the queries of a real search, not a cached one
    with django_assert_num_queries(GROUPED_QUERIES):
        response = search(client, "badge")
    assert response.context["result"].counts["discussions"] == rows
    with django_assert_num_queries(FILTERED_QUERIES):
        response = search(client, "badge", kind="documents")
    assert len(response.context["result"].groups["documents"]) == min(rows, 10)


def test_staff_see_popular_queries_in_the_admin(client, staff_with_mfa):
    from django.urls import reverse

    for _ in range(3):
        search(client, "forum registration")
    search(client, "webinar")
    url = reverse("wagtailsearchpromotions:search_terms")
    assert client.get(url).status_code == 302  # visitors are sent to sign in
    client.force_login(staff_with_mfa)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "forum registration" in html
    assert html.index("forum registration") < html.index("webinar")


def test_every_search_counts_one_hit_for_the_day(client):
    from wagtail.contrib.search_promotions.models import QueryDailyHits

    for _ in range(3):
        search(client, "forum registration")
    hits = QueryDailyHits.objects.get(query__query_string="forum registration")
    assert hits.hits == 3


def test_page_made_private_leaves_search_at_once(client, home_page, commit):
    from wagtail.models import PageViewRestriction

    with commit():
        page = add_page(home_page, "Quokka handbook", summary="quokka")
    search(client, "quokka")  # the restrictions are cached from here
    assert "Quokka handbook" in search(client, "quokka").content.decode()
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    assert "Quokka handbook" not in search(client, "quokka").content.decode()


def test_a_word_in_a_webinar_transcript_links_to_the_transcript(
    client, home_page, commit
):
    import os

    from events import seed as events_seed

    with commit():
        events_seed.seed(stdout=open(os.devnull, "w"))  # noqa: SIM115
    result = search(client, "investing").context["result"]
    assert result.counts["pages"] == 1
    hit = result.groups["pages"][0]
    assert hit.url.endswith("#transcript-heading")
    assert "<mark>investing</mark>" in hit.snippet


def test_permission_changes_apply_at_once(client, commit):
    collection = Collection.get_first_root_node().add_child(name="Reports")
    space = Space.objects.create(name="Open", slug="open", visibility="public")
    with commit():
        add_document("Gecko survey", ["gecko"], collection=collection)
        add_thread(space, "Gecko sightings", "A gecko.")
    assert search(client, "gecko").context["result"].all_total == 2
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    space.visibility = "members"
    space.save()
    assert search(client, "gecko").context["result"].all_total == 0
    client.force_login(make_user("signed-in@example.org"))
    assert search(client, "gecko").context["result"].all_total == 2


def test_counts_of_very_common_words_stop_at_the_limit(client, commit, monkeypatch):
    from search import site as site_search

    monkeypatch.setattr(site_search, "COUNT_LIMIT", 3)
    space = Space.objects.create(name="Open", slug="open", visibility="public")
    with commit():
        for number in range(5):
            add_thread(space, f"Iguana {number}", "iguana")
    response = search(client, "iguana")
    assert 'Discussions <span class="site-search__count">(3+)</span>' in (response.text)
    assert "See all 3+ Discussions" in response.text


@pytest.mark.postgres
def test_a_repeated_search_is_answered_from_the_cache(
    client,
    home_page,
    member,
    commit,
    settings,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    # The result cache: the page around the results costs what every page
    # does, the results themselves no query (the query log is written later,
    # by a task).
    settings.SEARCH_HITS_FLUSH_SECONDS = 3600  # hits handed over later, as live
    space = Space.objects.create(name="Open", slug="open", visibility="public")
    with commit():
        _fill(home_page, space, 3)
    search(client, "other words")
    with CaptureQueriesContext(connection) as frame:
        search(client, "other words")
    first = search(client, "badge").text
    with CaptureQueriesContext(connection) as repeated:
        assert search(client, "badge").text == first
    # Only the page around the results (the site, its settings) is read.
    assert len(repeated) <= max(len(frame), 2)
    searched = ("indexentry", "community_", "wagtaildocs", "credentials_")
    assert not [q for q in repeated if any(t in q["sql"] for t in searched)]
    client.force_login(member)
    search(client, "badge")
    # Signed in: not cached; the session and the user, and what this member may
    # see, asked of the apps' rules every time (a fixed number of queries).
    with django_assert_max_num_queries(18):
        assert "Badge thread" in search(client, "badge").text


def test_cached_results_follow_a_renamed_space_and_a_moved_thread(client, commit):
    space = Space.objects.create(name="Open", slug="open", visibility="public")
    closed = Space.objects.create(name="Staff", slug="staff", visibility="members")
    with commit():
        thread = add_thread(space, "Pangolin notes", "pangolin")
    assert (
        "Open"
        in search(client, "pangolin").context["result"].groups["discussions"][0].meta
    )
    space.name = "Open forum"
    space.save()
    hits = search(client, "pangolin").context["result"].groups["discussions"]
    assert hits[0].meta == "Open forum"
    with commit():
        thread.space = closed
        thread.save()
    assert search(client, "pangolin").context["result"].all_total == 0


def test_a_search_writes_no_hit_and_the_task_writes_the_counts(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.contrib.search_promotions.models import QueryDailyHits

    from search import popular

    popular.flush()
    settings.SEARCH_HITS_FLUSH_SECONDS = 3600  # handed over later, as live
    with CaptureQueriesContext(connection) as queries:
        for _ in range(4):
            search(client, "open badges")
        search(client, "stackable credentials")
    # The requests read, and wrote nothing about the hits.
    written = [
        q["sql"]
        for q in queries.captured_queries
        if "searchpromotions_query" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert written == []
    assert not QueryDailyHits.objects.exists()

    # What the process's background thread does every interval: hand the
    # counts to the task (immediate in tests), which writes them in bulk.
    with CaptureQueriesContext(connection) as queries:
        popular.flush()
    assert QueryDailyHits.objects.get(query__query_string="open badges").hits == 4
    assert (
        QueryDailyHits.objects.get(query__query_string="stackable credentials").hits
        == 1
    )
    writes = [
        q for q in queries.captured_queries if q["sql"].lstrip().startswith("INSERT")
    ]
    assert len(writes) == 2  # the new queries, then every day's count

    # Hits add up across hand-overs.
    search(client, "open badges")
    popular.flush()
    assert QueryDailyHits.objects.get(query__query_string="open badges").hits == 5


def test_one_off_queries_age_out_and_popular_ones_stay(db):
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.contrib.search_promotions.models import Query

    from search import popular

    today = timezone.now().date()
    long_ago = (today - timedelta(days=3)).isoformat()
    popular.write(
        [
            ["qwertyuiop", long_ago, 1],  # once, days ago: noise
            ["open badges", long_ago, 5],
            ["stackable", today.isoformat(), 1],  # once, today: may be a start
            ["promoted once", long_ago, 1],
        ]
    )
    SearchPromotion.objects.create(
        query=Query.get("promoted once"), external_link_url="https://example.org/"
    )
    popular.age_out(today)
    assert set(Query.objects.values_list("query_string", flat=True)) == {
        "open badges",
        "stackable",
        "promoted once",
    }
