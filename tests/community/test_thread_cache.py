"""Anonymous readers share a public thread's page (the shared page cache), and
every change to what it shows reaches the next reader at once."""

import pytest
from django.test import Client

from community import services
from community.models import Post, Profile, Space
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(member, public_space):
    return services.create_thread(
        author=member, space=public_space, title="Pathways", body="Original text"
    )


def _read(thread, **params):
    response = Client().get(thread.get_absolute_url(), params)
    return response, response.content.decode()


def _cached(thread):
    _read(thread)
    response, html = _read(thread)
    assert response["X-Page-Cache"] == "hit"
    return html


def test_second_anonymous_reader_gets_the_page_without_the_database(
    thread, django_assert_num_queries
):
    first, html = _read(thread)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    assert "Original text" in html and "Sign in to reply" in html
    assert "public" in first["Cache-Control"]

    with django_assert_num_queries(0):
        second, again = _read(thread)
    assert second["X-Page-Cache"] == "hit"
    assert again == html
    # Each page of posts is kept apart.
    assert _read(thread, page=2)[0]["X-Page-Cache"] == "miss"


def test_a_reply_reaches_the_next_anonymous_reader(thread, second_member):
    _cached(thread)
    services.reply(author=second_member, thread=thread, body="A fresh reply")

    response, html = _read(thread)
    assert response["X-Page-Cache"] == "miss"
    assert "A fresh reply" in html and "Omar Other" in html


def test_edits_deletions_and_moderation_reach_the_next_reader(
    thread, member, second_member, moderator
):
    post = services.reply(author=second_member, thread=thread, body="First draft")
    _cached(thread)

    services.edit_post(user=second_member, post=post, body="Second thoughts")
    html = _read(thread)[1]
    assert "Second thoughts" in html and "First draft" not in html

    _cached(thread)
    services.hide_post(moderator=moderator, post=post, reason="off topic")
    assert "Second thoughts" not in _read(thread)[1]

    first = thread.posts.order_by("pk").first()
    _cached(thread)
    services.delete_post(user=member, post=first)
    assert "Original text" not in _read(thread)[1]


def test_likes_lock_and_decision_reach_the_next_reader(
    thread, member, second_member, moderator, group_space, group_member
):
    _cached(thread)
    services.toggle_like(user=second_member, post=thread.posts.get())
    assert "1 like<" in _read(thread)[1]

    _cached(thread)
    services.toggle_like(user=second_member, post=thread.posts.get())
    assert "0 likes" in _read(thread)[1]

    _cached(thread)
    services.set_thread_state(moderator=moderator, thread=thread, locked=True)
    html = _read(thread)[1]
    assert "This thread is locked" in html and "Sign in to reply" not in html

    # A working-group decision is written with .update(): no model signal.
    services.move_thread(moderator=moderator, thread=thread, space=group_space)
    group_space.visibility = Space.Visibility.PUBLIC
    group_space.save()
    _cached(thread)
    services.mark_decision(user=group_member, post=Post.objects.get(thread=thread))
    assert 'id="decision-heading"' in _read(thread)[1]


def test_a_renamed_or_deleted_member_shows_on_the_next_read(thread, member):
    assert "Mira Member" in _cached(thread)

    profile = Profile.objects.get(user=member)
    profile.display_name = "Mira M. (chair)"
    profile.save()
    assert "Mira M. (chair)" in _read(thread)[1]

    _cached(thread)
    services.delete_account(user=member)
    html = _read(thread)[1]
    assert "A former member" in html and "Mira M. (chair)" not in html


def test_signing_in_elsewhere_does_not_empty_the_cache(thread, member, client):
    _cached(thread)
    assert client.login(username=member.username, password=PASSWORD)
    assert _read(thread)[0]["X-Page-Cache"] == "hit"


def test_a_space_made_private_stops_showing_its_cached_threads(thread, public_space):
    _cached(thread)
    public_space.visibility = Space.Visibility.MEMBERS
    public_space.save()

    response, html = _read(thread)
    assert response.status_code == 404
    assert "Original text" not in html


def test_members_pages_are_never_shared(thread, member, second_member, members_space):
    reader = Client()
    reader.force_login(second_member)
    response = reader.get(thread.get_absolute_url())
    assert response["X-Page-Cache"] == "bypass"
    assert "no-store" in response["Cache-Control"]
    assert "Watch this thread" in response.content.decode()
    # The next anonymous reader gets the anonymous page, not the member's.
    html = _read(thread)[1]
    assert "Watch this thread" not in html and "Sign in to reply" in html

    lounge = services.create_thread(
        author=member, space=members_space, title="Lounge", body="Members only"
    )
    for _ in range(2):
        page = reader.get(lounge.get_absolute_url())
        assert (
            page["X-Page-Cache"] == "bypass" and "Members only" in page.content.decode()
        )
    response, html = _read(lounge)
    assert response.status_code == 404 and "Members only" not in html
