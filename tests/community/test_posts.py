"""Threads and posts: ordering, unread markers, editing, deleting, likes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import services
from community.models import Post, PostRevision, ReadState, Thread
from community.views import POSTS_PER_PAGE


@pytest.fixture
def thread(member, public_space):
    return services.create_thread(
        author=member, space=public_space, title="Pathways", body="Original text"
    )


def test_member_starts_a_thread_and_replies(
    client, member, second_member, public_space
):
    client.force_login(member)
    response = client.post(
        "/community/spaces/open/new/",
        {"title": "Stackable credentials", "body": "How do you *stack* them?"},
    )
    thread = Thread.objects.get(title="Stackable credentials")
    assert response.status_code == 302
    assert thread.author == member and thread.reply_count == 0
    client.force_login(second_member)
    response = client.post(thread.get_absolute_url(), {"body": "With care."})
    reply = thread.posts.last()
    assert response["Location"] == f"/community/posts/{reply.pk}/"
    page = client.get(response["Location"], follow=True).content.decode()
    assert "<em>stack</em>" in page and "With care." in page
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_empty_thread_gets_a_clear_message(client, member, public_space):
    client.force_login(member)
    response = client.post("/community/spaces/open/new/", {"title": "", "body": ""})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Thread.objects.exists()


def test_threads_list_pinned_first_then_by_activity_with_unread_markers(
    client, member, second_member, public_space
):
    old = services.create_thread(
        author=member, space=public_space, title="Old thread", body="x"
    )
    services.create_thread(
        author=member, space=public_space, title="New thread", body="x"
    )
    pinned = services.create_thread(
        author=member, space=public_space, title="House rules", body="x"
    )
    Thread.objects.filter(pk=pinned.pk).update(
        is_pinned=True, last_activity_at=timezone.now() - timedelta(days=9)
    )
    Thread.objects.filter(pk=old.pk).update(
        last_activity_at=timezone.now() - timedelta(days=2)
    )
    services.reply(author=second_member, thread=old, body="bump")  # now newest
    client.force_login(member)
    html = client.get("/community/spaces/open/").content.decode()
    assert (
        html.index("House rules") < html.index("Old thread") < html.index("New thread")
    )
    # The member has read their own threads but not the reply in "Old thread".
    rows = html.split('<tr class="thread-row')
    unread = [r for r in rows if "thread-row--unread" in "thread-row" + r[:30]]
    assert len(unread) == 1 and "Old thread" in unread[0]
    client.get(old.get_absolute_url())
    html = client.get("/community/spaces/open/").content.decode()
    assert "Unread</span>" not in html


def test_thread_pages_and_first_unread_link(client, member, second_member, thread):
    Post.objects.filter(thread=thread).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    bodies = [f"Reply number {n}" for n in range(POSTS_PER_PAGE + 5)]
    for n, body in enumerate(bodies):
        post = services.reply(author=second_member, thread=thread, body=body)
        Post.objects.filter(pk=post.pk).update(
            created_at=timezone.now() - timedelta(hours=1, minutes=-n)
        )
    ReadState.objects.filter(user=member).delete()  # not opened since posting
    client.force_login(member)
    # The first visit reads page 1 (up to reply 18); the rest stays unread.
    first_page = client.get(thread.get_absolute_url()).content.decode()
    assert "Reply number 18" in first_page and "Reply number 19</p>" not in first_page
    thread.refresh_from_db()
    html = client.get(thread.get_absolute_url()).content.decode()
    target = thread.posts.get(body="Reply number 19")
    assert f'href="?page=2#post-{target.pk}"' in html
    assert "Go to the first unread post" in html
    page2 = client.get(thread.get_absolute_url(), {"page": 2}).content.decode()
    assert "Reply number 19" in page2 and "Reply number 24" in page2
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Go to the first unread post" not in html


def test_permalink_finds_the_page_of_a_post(client, member, second_member, thread):
    for n in range(POSTS_PER_PAGE + 2):
        last = services.reply(author=second_member, thread=thread, body=f"r{n}")
    response = client.get(f"/community/posts/{last.pk}/")
    assert response["Location"] == (
        f"{thread.get_absolute_url()}?page=2#post-{last.pk}"
    )


def test_author_edits_post_and_history_is_kept(client, member, second_member, thread):
    post = thread.posts.get()
    client.force_login(member)
    preview = client.post(
        f"/community/posts/{post.pk}/edit/", {"body": "New **text**", "preview": "1"}
    )
    assert "<strong>text</strong>" in preview.content.decode()
    post.refresh_from_db()
    assert post.body == "Original text"
    client.post(f"/community/posts/{post.pk}/edit/", {"body": "New **text**"})
    post.refresh_from_db()
    assert post.body == "New **text**" and post.edited_at is not None
    assert list(post.revisions.values_list("body", flat=True)) == ["Original text"]
    html = client.get(thread.get_absolute_url()).content.decode()
    assert ">edited</a>" in html
    history = client.get(f"/community/posts/{post.pk}/history/").content.decode()
    assert "Original text" in history and "<strong>text</strong>" in history
    # Someone else cannot edit it.
    client.force_login(second_member)
    assert client.get(f"/community/posts/{post.pk}/edit/").status_code == 404
    client.post(f"/community/posts/{post.pk}/edit/", {"body": "Hijack"})
    post.refresh_from_db()
    assert post.body == "New **text**" and PostRevision.objects.count() == 1


def test_author_soft_deletes_post(client, member, second_member, thread):
    reply = services.reply(author=member, thread=thread, body="Regrettable words")
    client.force_login(second_member)
    client.post(f"/community/posts/{reply.pk}/delete/")
    reply.refresh_from_db()
    assert reply.deleted_at is None
    client.force_login(member)
    client.post(f"/community/posts/{reply.pk}/delete/")
    reply.refresh_from_db()
    assert reply.deleted_at is not None
    assert Post.objects.filter(pk=reply.pk).exists()  # soft delete
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Regrettable words" not in html
    assert client.get(f"/community/posts/{reply.pk}/").status_code == 404
    thread.refresh_from_db()
    assert thread.reply_count == 0


def test_members_like_posts_once(client, member, second_member, thread):
    post = thread.posts.get()
    client.force_login(second_member)
    client.post(f"/community/posts/{post.pk}/like/")
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "1 like" in html and 'aria-pressed="true"' in html
    client.post(f"/community/posts/{post.pk}/like/")
    assert "0 likes" in client.get(thread.get_absolute_url()).content.decode()
    assert client.post(f"/community/posts/{post.pk}/like/").status_code == 302
    client.logout()
    response = client.post(f"/community/posts/{post.pk}/like/")
    assert "/accounts/login/" in response["Location"]
    assert post.reactions.count() == 1
