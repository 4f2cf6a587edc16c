"""Anonymous search pages behind the shared HTTP cache: public and tagged
`search`, never shared with or from members, purged by every change they show,
and counted for the popular-queries report whenever they reach the site."""

import pytest
from django.test import Client
from wagtail.contrib.search_promotions.models import (
    Query,
    QueryDailyHits,
    SearchPromotion,
)

from community.models import Post, Space
from tests.search.test_site import add_entry, add_page, add_thread, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (index tasks, purges) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def open_space(db):
    return Space.objects.create(name="Open", slug="open", visibility="public")


def _public(response):
    assert "public" in response["Cache-Control"]
    assert "search" in response["xkey"].split()
    return response


def test_an_anonymous_search_may_be_shared(home_page, open_space, commit):
    with commit():
        add_page(home_page, "Quokka handbook", summary="About the quokka.")
        add_thread(open_space, "Quokka sightings", "A quokka!")
    add_entry("Quokka care", description="Looking after a quokka.")
    response = _public(search(Client(), "quokka"))
    for title in ("Quokka handbook", "Quokka sightings", "Quokka care"):
        assert title in response.text
    _public(search(Client(), ""))  # the empty form too


def test_each_search_that_reaches_the_site_is_counted(client):
    for _ in range(3):
        search(Client(), "forum registration")
    hits = QueryDailyHits.objects.get(query__query_string="forum registration")
    assert hits.hits == 3


def test_a_members_search_is_private_and_never_shown_to_visitors(
    client, member, commit
):
    closed = Space.objects.create(name="Staff", slug="staff", visibility="members")
    with commit():
        add_thread(closed, "Confidential narwhal budget", "The narwhal line.")
    client.force_login(member)
    mine = search(client, "narwhal")
    assert "private" in mine["Cache-Control"] and "no-store" in mine["Cache-Control"]
    assert "xkey" not in mine
    assert "Confidential narwhal budget" in mine.text
    anonymous = _public(search(Client(), "narwhal"))
    assert "Confidential narwhal budget" not in anonymous.text


def test_a_new_page_purges_and_shows_in_the_next_search(home_page, commit, purges):
    search(Client(), "capybara")
    with commit():
        add_page(home_page, "Forum recap", summary="The capybara keynote.")
    assert "search" in purges.tags()
    assert "Forum recap" in search(Client(), "capybara").text


def test_a_new_catalogue_entry_purges_and_shows_in_the_next_search(db, commit, purges):
    search(Client(), "tungsten")
    with commit():
        add_entry("Welding basics", description="Learn tungsten welding.")
    assert {"search", "catalogue"} <= purges.tags()
    assert "Welding basics" in search(Client(), "tungsten").text


def test_a_saved_post_purges_and_shows_in_the_next_search(open_space, commit, purges):
    with commit():
        thread = add_thread(open_space, "Welcome", "Hello everyone.")
    search(Client(), "wombat")
    purges.clear()
    with commit():
        Post.objects.create(thread=thread, body="About wombats.", body_html="")
    assert {"search", "community"} <= purges.tags()
    assert "Welcome" in search(Client(), "wombat").text


def test_a_new_promotion_purges_and_shows_in_the_next_search(home_page, commit, purges):
    with commit():
        target = add_page(home_page, "Registration help", summary="How to sign up.")
    search(Client(), "registration")
    purges.clear()
    with commit():
        promotion = SearchPromotion.objects.create(
            query=Query.get("registration"),
            page=target,
            description="Start here.",
            sort_order=0,
        )
    assert "search" in purges.tags()
    assert "Start here." in search(Client(), "registration").text
    promotion.delete()
    assert "Start here." not in search(Client(), "registration").text
