"""Anonymous readers of a public space may get its pages from the shared HTTP
cache; every change to what they show purges them, and members' pages and
private spaces are never kept."""

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


@pytest.fixture
def changes(purges, django_capture_on_commit_callbacks):
    """Run a change as a committed transaction; returns the tags it purged."""

    def run(change):
        purges.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return purges.tags()

    return run


def _read(thread, **params):
    response = Client().get(thread.get_absolute_url(), params)
    return response, response.content.decode()


def _is_private(response):
    return "private" in response["Cache-Control"] and "xkey" not in response


def test_anonymous_readers_of_a_public_space_may_share_its_pages(thread, public_space):
    response, html = _read(thread)
    assert "Original text" in html and "Sign in to reply" in html
    assert "public" in response["Cache-Control"]
    assert set(response["xkey"].split()) == {
        "all",
        "pages",
        "community",
        f"space-{public_space.pk}",
        f"thread-{thread.pk}",
    }
    space = Client().get(public_space.get_absolute_url())
    assert {"community", f"space-{public_space.pk}"} <= set(space["xkey"].split())
    assert "community" in Client().get("/community/")["xkey"].split()


def test_a_reply_purges_the_community_and_shows_at_once(thread, second_member, changes):
    assert "community" in changes(
        lambda: services.reply(author=second_member, thread=thread, body="Fresh")
    )
    html = _read(thread)[1]
    assert "Fresh" in html and "Omar Other" in html


def test_edits_deletions_and_moderation_purge(
    thread, member, second_member, moderator, changes
):
    post = services.reply(author=second_member, thread=thread, body="First draft")
    assert "community" in changes(
        lambda: services.edit_post(user=second_member, post=post, body="Second")
    )
    assert "Second" in _read(thread)[1]
    assert "community" in changes(
        lambda: services.hide_post(moderator=moderator, post=post, reason="off topic")
    )
    assert "Second" not in _read(thread)[1]
    first = thread.posts.order_by("pk").first()
    assert "community" in changes(lambda: services.delete_post(user=member, post=first))
    assert "Original text" not in _read(thread)[1]


def test_likes_lock_and_decision_purge(
    thread, second_member, moderator, group_space, group_member, changes
):
    assert "community" in changes(
        lambda: services.toggle_like(user=second_member, post=thread.posts.get())
    )
    assert "1 like<" in _read(thread)[1]
    assert "community" in changes(
        lambda: services.set_thread_state(
            moderator=moderator, thread=thread, locked=True
        )
    )
    assert "This thread is locked" in _read(thread)[1]

    services.move_thread(moderator=moderator, thread=thread, space=group_space)
    group_space.visibility = Space.Visibility.PUBLIC
    group_space.save()
    # A working-group decision is written with .update(): no model signal.
    assert "community" in changes(
        lambda: services.mark_decision(
            user=group_member, post=Post.objects.get(thread=thread)
        )
    )
    assert 'id="decision-heading"' in _read(thread)[1]


def test_a_renamed_or_deleted_member_purges(thread, member, changes):
    profile = Profile.objects.get(user=member)
    profile.display_name = "Mira M. (chair)"
    assert "community" in changes(profile.save)
    assert "Mira M. (chair)" in _read(thread)[1]

    assert "community" in changes(lambda: services.delete_account(user=member))
    html = _read(thread)[1]
    assert "A former member" in html and "Mira M. (chair)" not in html


def test_signing_in_purges_nothing(thread, member, client, changes):
    assert (
        changes(lambda: client.login(username=member.username, password=PASSWORD))
        == set()
    )


def test_a_space_made_private_purges_and_hides_its_threads(
    thread, public_space, changes
):
    public_space.visibility = Space.Visibility.MEMBERS
    assert "community" in changes(public_space.save)
    response, html = _read(thread)
    assert response.status_code == 404
    assert "Original text" not in html
    assert _is_private(response)


def test_members_pages_and_private_spaces_are_never_shared(
    thread, member, second_member, members_space
):
    reader = Client()
    reader.force_login(second_member)
    response = reader.get(thread.get_absolute_url())
    assert _is_private(response) and "no-store" in response["Cache-Control"]
    assert "Watch this thread" in response.content.decode()
    html = _read(thread)[1]
    assert "Watch this thread" not in html and "Sign in to reply" in html

    lounge = services.create_thread(
        author=member, space=members_space, title="Lounge", body="Members only"
    )
    page = reader.get(lounge.get_absolute_url())
    assert "Members only" in page.content.decode() and _is_private(page)
    assert _is_private(reader.get(members_space.get_absolute_url()))
    response, html = _read(lounge)
    assert response.status_code == 404 and "Members only" not in html
