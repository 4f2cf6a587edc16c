"""Anonymous search pages in the shared page cache: served without the database,
never shared with or from members, fresh after every change they show, and
still counted for the popular-queries report."""

import pytest
from django.test import Client
from wagtail.contrib.search_promotions.models import (
    Query,
    QueryDailyHits,
    SearchPromotion,
)

from community.models import Post, Space
from credentials.models import MicroCredential
from credentials.search import index_credentials
from search import popular
from tests.search.test_site import add_entry, add_page, add_thread, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (index tasks) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def open_space(db):
    return Space.objects.create(name="Open", slug="open", visibility="public")


def cached(q, **params):
    """An anonymous search that the page cache answered."""
    response = search(Client(), q, **params)
    assert response["X-Page-Cache"] == "hit"
    return response


def test_a_repeated_anonymous_search_costs_no_query(
    home_page, open_space, commit, settings, django_assert_num_queries
):
    with commit():
        add_page(home_page, "Quokka handbook", summary="About the quokka.")
        add_thread(open_space, "Quokka sightings", "A quokka!")
    add_entry("Quokka care", description="Looking after a quokka.")
    popular.flush()
    settings.SEARCH_HITS_FLUSH_SECONDS = 3600  # hits add up in memory, as live

    first = search(Client(), "quokka")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert "public" in first["Cache-Control"]
    with django_assert_num_queries(0):
        second = cached("quokka")
    assert second.content == first.content
    for title in ("Quokka handbook", "Quokka sightings", "Quokka care"):
        assert title in second.text

    popular.flush()
    assert QueryDailyHits.objects.get(query__query_string="quokka").hits == 2


def test_each_query_kind_and_page_is_its_own_entry(open_space, commit):
    with commit():
        for number in range(12):
            add_thread(open_space, f"Rubric question {number}", "rubric")
    search(Client(), "rubric", kind="discussions")
    second_page = search(Client(), "rubric", kind="discussions", page=2)
    assert second_page["X-Page-Cache"] == "miss"
    assert 'rel="prev"' in second_page.text
    assert 'rel="prev"' not in cached("rubric", kind="discussions").text
    assert search(Client(), "")["X-Page-Cache"] == "miss"  # the empty form too
    assert cached("")


def test_a_hit_still_counts_for_the_popular_queries_report(client):
    for _ in range(3):
        search(Client(), "forum registration")
    assert cached("forum registration")
    hits = QueryDailyHits.objects.get(query__query_string="forum registration")
    assert hits.hits == 4
    assert list(Query.get_most_popular())[0].query_string == "forum registration"


# --- Members ------------------------------------------------------------------


def test_a_members_search_is_never_shown_to_visitors(client, member, commit):
    closed = Space.objects.create(name="Staff", slug="staff", visibility="members")
    with commit():
        add_thread(closed, "Confidential narwhal budget", "The narwhal line.")
    client.force_login(member)
    mine = search(client, "narwhal")
    assert mine["X-Page-Cache"] == "bypass"
    assert "private" in mine["Cache-Control"]
    assert "Confidential narwhal budget" in mine.text

    for expected in ("miss", "hit"):
        anonymous = search(Client(), "narwhal")
        assert anonymous["X-Page-Cache"] == expected
        assert "Confidential narwhal budget" not in anonymous.text


def test_a_visitors_cached_search_is_never_shown_to_members(client, member, commit):
    closed = Space.objects.create(name="Staff", slug="staff", visibility="members")
    with commit():
        add_thread(closed, "Confidential narwhal budget", "The narwhal line.")
    search(Client(), "narwhal")
    assert "Confidential narwhal budget" not in cached("narwhal").text

    client.force_login(member)
    for _ in range(2):
        mine = search(client, "narwhal")
        assert mine["X-Page-Cache"] == "bypass"
        assert "Confidential narwhal budget" in mine.text


# --- Changes show at once -------------------------------------------------------


def test_a_new_page_shows_in_the_next_search(home_page, commit):
    search(Client(), "capybara")
    assert "Forum recap" not in cached("capybara").text
    with commit():
        add_page(home_page, "Forum recap", summary="The capybara keynote.")
    response = search(Client(), "capybara")
    assert response["X-Page-Cache"] == "miss"
    assert "Forum recap" in response.text


def test_a_new_or_imported_catalogue_entry_shows_in_the_next_search(db):
    search(Client(), "tungsten")
    assert "Welding basics" not in cached("tungsten").text
    entry = add_entry("Welding basics", description="Learn tungsten welding.")
    response = search(Client(), "tungsten")
    assert response["X-Page-Cache"] == "miss"
    assert "Welding basics" in response.text

    # The CSV import writes rows in bulk and bumps only the catalogue's version.
    assert "Welding basics" in cached("tungsten").text
    MicroCredential.objects.filter(pk=entry.pk).update(title="Tungsten arc welding")
    index_credentials([entry.pk])
    response = search(Client(), "tungsten")
    assert response["X-Page-Cache"] == "miss"
    assert "Tungsten arc welding" in response.text


def test_a_saved_post_shows_in_the_next_search(open_space, commit):
    with commit():
        thread = add_thread(open_space, "Welcome", "Hello everyone.")
    search(Client(), "wombat")
    assert "Welcome" not in cached("wombat").text
    with commit():
        Post.objects.create(thread=thread, body="About wombats.", body_html="")
    response = search(Client(), "wombat")
    assert response["X-Page-Cache"] == "miss"
    assert "Welcome" in response.text


def test_a_new_promotion_shows_in_the_next_search(home_page, commit):
    with commit():
        target = add_page(home_page, "Registration help", summary="How to sign up.")
    search(Client(), "registration")
    assert "Start here." not in cached("registration").text
    promotion = SearchPromotion.objects.create(
        query=Query.get("registration"),
        page=target,
        description="Start here.",
        sort_order=0,
    )
    response = search(Client(), "registration")
    assert response["X-Page-Cache"] == "miss"
    assert "Start here." in response.text
    assert "Start here." in cached("registration").text

    promotion.delete()
    assert "Start here." not in search(Client(), "registration").text
