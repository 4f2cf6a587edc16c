"""The thread page shares each public post's rendered header and text between
visitors (community.views._share_post_html): what they show must still change
at once, and nothing from a private space or a hidden post is shared."""

import pytest
from django.core.cache import caches

from community import services
from community.models import Profile

pytestmark = pytest.mark.django_db


def _shared_text():
    """Everything the shared cache holds, as one string (locmem keeps pickles)."""
    store = caches["default"]._cache
    return b"".join(value for value in store.values() if isinstance(value, bytes))


def test_an_edit_shows_at_once_to_visitors_who_saw_the_old_text(
    client, member, public_space
):
    thread = services.create_thread(
        author=member, space=public_space, title="Pathways", body="First wording"
    )
    post = thread.posts.get()
    assert "First wording" in client.get(thread.get_absolute_url()).content.decode()
    assert b"First wording" in _shared_text()  # the anonymous view was shared

    services.edit_post(user=member, post=post, body="Second wording")

    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Second wording" in html and "First wording" not in html
    assert ">edited</a>" in html


def test_a_new_display_name_shows_at_once_on_every_post(client, member, public_space):
    thread = services.create_thread(
        author=member, space=public_space, title="Pathways", body="Hello"
    )
    client.get(thread.get_absolute_url())
    client.force_login(member)
    client.get(thread.get_absolute_url())

    client.post(
        "/community/profile/",
        {
            "display_name": "Dr. Mira M.",
            "visibility": Profile.Visibility.PUBLIC,
            "email_preference": Profile.EmailPreference.IMMEDIATE,
        },
    )

    assert "Dr. Mira M." in client.get(thread.get_absolute_url()).content.decode()
    client.logout()
    assert "Dr. Mira M." in client.get(thread.get_absolute_url()).content.decode()


def test_a_hidden_post_leaves_the_page_at_once(client, member, moderator, public_space):
    thread = services.create_thread(
        author=member, space=public_space, title="Pathways", body="Opening"
    )
    reply = services.reply(author=member, thread=thread, body="Rude remark")
    assert "Rude remark" in client.get(thread.get_absolute_url()).content.decode()

    services.hide_post(moderator=moderator, post=reply, reason="rude")

    assert "Rude remark" not in client.get(thread.get_absolute_url()).content.decode()
    client.force_login(moderator)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Rude remark" in html and "Hidden by a moderator" in html


def test_posts_of_private_spaces_are_never_shared(
    client, group_member, group_space, members_space, member
):
    for space, author in ((group_space, group_member), (members_space, member)):
        thread = services.create_thread(
            author=author, space=space, title="Drafts", body=f"Secret of {space.slug}"
        )
        client.force_login(author)
        assert f"Secret of {space.slug}" in (
            client.get(thread.get_absolute_url()).content.decode()
        )
    assert b"Secret of" not in _shared_text()


def test_a_signed_in_member_sees_the_shared_post_with_their_own_actions(
    client, member, second_member, public_space
):
    thread = services.create_thread(
        author=member, space=public_space, title="Pathways", body="Shared words"
    )
    client.get(thread.get_absolute_url())  # stored by an anonymous visit

    client.force_login(member)
    own = client.get(thread.get_absolute_url()).content.decode()
    client.force_login(second_member)
    other = client.get(thread.get_absolute_url()).content.decode()

    assert "Shared words" in own and "Shared words" in other
    assert ">Edit</a>" in own and ">Flag</a>" not in own
    assert ">Flag</a>" in other and ">Edit</a>" not in other
