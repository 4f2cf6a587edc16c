"""The thread page: what it shows changes at once, members get their own
controls and CSRF token, and nothing of a private space is kept publicly."""

import pytest

from community import services
from community.models import Profile, Space
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_an_edit_shows_at_once_to_visitors_who_saw_the_old_text(
    client, member, public_space
):
    thread = services.create_thread(
        author=member, space=public_space, title="Pathways", body="First wording"
    )
    post = thread.posts.get()
    assert "First wording" in client.get(thread.get_absolute_url()).content.decode()

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


def test_posts_of_private_spaces_are_never_kept_publicly(
    client, group_member, group_space, members_space, member
):
    for space, author in ((group_space, group_member), (members_space, member)):
        thread = services.create_thread(
            author=author, space=space, title="Drafts", body=f"Secret of {space.slug}"
        )
        client.force_login(author)
        response = client.get(thread.get_absolute_url())
        assert f"Secret of {space.slug}" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert "xkey" not in response


def test_a_signed_in_member_sees_the_post_with_their_own_actions(
    client, member, second_member, public_space
):
    thread = services.create_thread(
        author=member, space=public_space, title="Pathways", body="Shared words"
    )
    client.get(thread.get_absolute_url())  # an anonymous visit first

    client.force_login(member)
    own = client.get(thread.get_absolute_url()).content.decode()
    client.force_login(second_member)
    other = client.get(thread.get_absolute_url()).content.decode()

    assert "Shared words" in own and "Shared words" in other
    assert ">Edit</a>" in own and ">Flag</a>" not in own
    assert ">Flag</a>" in other and ">Edit</a>" not in other


def _actions(html, post):
    """The footer of one post's article in the list (a decision is shown twice)."""
    article = html.rsplit(f'id="post-{post.pk}"', 1)[1].split("</article>", 1)[0]
    return article.split('<footer class="post__actions">', 1)[1]


def test_likes_show_at_once_and_each_member_sees_their_own_state(
    client, member, second_member, public_space
):
    thread = services.create_thread(
        author=member, space=public_space, title="Pathways", body="Shared words"
    )
    post = thread.posts.get()
    client.force_login(second_member)
    for _view in range(2):
        before = _actions(client.get(thread.get_absolute_url()).text, post)
        assert "0 likes" in before and ">Like</button>" in before

    services.toggle_like(user=second_member, post=post)

    for _view in range(2):
        liker = _actions(client.get(thread.get_absolute_url()).text, post)
        assert "1 like<" in liker and ">Unlike</button>" in liker
    client.force_login(make_user("third@example.org"))
    third = _actions(client.get(thread.get_absolute_url()).text, post)
    assert "1 like<" in third and ">Like</button>" in third
    client.force_login(member)
    author = _actions(client.get(thread.get_absolute_url()).text, post)
    assert "1 like<" in author and ">Like</button>" in author
    client.logout()
    anonymous = _actions(client.get(thread.get_absolute_url()).text, post)
    assert "1 like<" in anonymous and "<form" not in anonymous

    services.toggle_like(user=second_member, post=post)  # taken back
    client.force_login(second_member)
    after = _actions(client.get(thread.get_absolute_url()).text, post)
    assert "0 likes" in after and ">Like</button>" in after


def test_each_post_carries_the_csrf_token_of_the_request(
    client, member, second_member, public_space
):
    thread = services.create_thread(
        author=member, space=public_space, title="Pathways", body="Shared words"
    )
    post = thread.posts.get()
    client.force_login(second_member)
    response = client.get(thread.get_absolute_url())
    actions = _actions(response.text, post)
    assert 'name="csrfmiddlewaretoken"' in actions
    # The like form works with the token the page gave.
    client.handler.enforce_csrf_checks = True
    value = actions.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"')[0]
    liked = client.post(
        f"/community/posts/{post.pk}/like/", {"csrfmiddlewaretoken": value}
    )
    assert liked.status_code == 302
    assert post.reactions.filter(user=second_member).exists()


def test_only_the_working_group_is_offered_to_mark_a_decision(
    client, member, group_member, working_group
):
    space = Space.objects.create(
        name="Group's open space",
        slug="group-open",
        visibility=Space.Visibility.PUBLIC,
        working_group=working_group,
    )
    thread = services.create_thread(
        author=member, space=space, title="Pathways", body="Shared words"
    )
    post = thread.posts.get()
    client.force_login(group_member)
    assert "Mark as decision" in _actions(
        client.get(thread.get_absolute_url()).text, post
    )
    services.mark_decision(user=group_member, post=post)
    assert "Mark as decision" not in _actions(
        client.get(thread.get_absolute_url()).text, post
    )
    other = services.reply(author=member, thread=thread, body="More words")
    assert "Mark as decision" in _actions(
        client.get(thread.get_absolute_url()).text, other
    )
    client.force_login(member)
    html = client.get(thread.get_absolute_url()).text
    assert "Mark as decision" not in _actions(html, other)


def _reply_form(html):
    start = html.index('<section class="reply"')
    return html[start : html.index("</section>", start)]


def test_the_reply_form_posts_to_its_own_thread_with_the_members_token(
    client, member, second_member, public_space
):
    first = services.create_thread(
        author=member, space=public_space, title="Pathways", body="One"
    )
    second = services.create_thread(
        author=member, space=public_space, title="Badges", body="Two"
    )
    client.force_login(member)
    client.get(first.get_absolute_url())
    client.logout()

    client.force_login(second_member)
    html = client.get(second.get_absolute_url()).text
    form = _reply_form(html)
    assert f'action="{second.get_absolute_url()}"' in form
    value = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"')[0]

    client.handler.enforce_csrf_checks = True
    response = client.post(
        second.get_absolute_url(), {"csrfmiddlewaretoken": value, "body": "Agreed."}
    )
    assert response.status_code == 302
    assert second.posts.filter(author=second_member, body="Agreed.").exists()
    assert not first.posts.filter(author=second_member).exists()


def test_a_reply_with_errors_keeps_what_was_typed_and_is_private(
    client, member, public_space
):
    thread = services.create_thread(
        author=member, space=public_space, title="Pathways", body="One"
    )
    client.force_login(member)
    client.get(thread.get_absolute_url())
    too_long = "x" * 20001
    response = client.post(thread.get_absolute_url(), {"body": too_long})
    assert response.status_code == 400
    assert too_long in _reply_form(response.text)
    assert "no-store" in response["Cache-Control"]
