"""List pages cost the same number of queries for 5 and for 50 rows."""

import pytest
from django.utils import timezone

from community import markdown
from community.models import Post, Reaction, ReadState, Thread
from tests.conftest import make_user


def _threads(space, author, count):
    now = timezone.now()
    for n in range(count):
        thread = Thread.objects.create(
            space=space, title=f"Thread {n}", author=author, reply_count=1
        )
        Post.objects.create(
            thread=thread, author=author, body="x", body_html="<p>x</p>"
        )
        if n % 2:
            ReadState.objects.create(thread=thread, user=author, last_read_at=now)


def _posts(thread, count):
    authors = [make_user(f"poster{n}@example.org") for n in range(min(count, 10))]
    for n in range(count):
        post = Post.objects.create(
            thread=thread,
            author=authors[n % len(authors)],
            body=f"post {n}",
            body_html=markdown.render(f"post **{n}**", {}),
        )
        Reaction.objects.create(post=post, user=authors[(n + 1) % len(authors)])


SPACE_QUERIES = 10
THREAD_QUERIES = 13
DIRECTORY_QUERIES = 7
NOTIFICATION_QUERIES = 7


@pytest.mark.parametrize("rows", [5, 50])
def test_space_page_query_count_is_fixed(
    client, member, public_space, rows, django_assert_num_queries
):
    _threads(public_space, member, rows)
    client.force_login(member)
    client.get("/community/spaces/open/")  # warm the shared caches (menu, settings)
    with django_assert_num_queries(SPACE_QUERIES):
        response = client.get("/community/spaces/open/")
    assert response.status_code == 200
    assert response.content.decode().count('class="thread-row') == min(rows, 30)


@pytest.mark.parametrize("rows", [5, 50])
def test_space_page_query_count_for_visitors(
    client, member, public_space, rows, django_assert_num_queries
):
    _threads(public_space, member, rows)
    client.get("/community/spaces/open/")  # warm the shared caches (menu, settings)
    with django_assert_num_queries(4):
        response = client.get("/community/spaces/open/")
    assert response.content.decode().count('class="thread-row') == min(rows, 30)


@pytest.mark.parametrize("rows", [5, 50])
def test_thread_page_query_count_is_fixed(
    client, member, group_member, group_space, rows, django_assert_num_queries
):
    thread = Thread.objects.create(space=group_space, title="Busy", author=member)
    _posts(thread, rows)
    client.force_login(group_member)
    client.get(thread.get_absolute_url())  # warm the shared caches (menu, settings)
    with django_assert_num_queries(THREAD_QUERIES):
        response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('<article class="post') == min(rows, 20)


@pytest.mark.parametrize("rows", [5, 50])
def test_feed_query_count_is_fixed(
    client, member, public_space, rows, django_assert_num_queries
):
    _threads(public_space, member, rows)
    client.get(
        "/community/spaces/open/feed/"
    )  # warm the shared caches (menu, settings)
    with django_assert_num_queries(3):
        response = client.get("/community/spaces/open/feed/")
    assert response.content.decode().count("<entry>") == min(rows, 30)
    assert "<p>x</p>" in response.content.decode().replace("&lt;", "<").replace(
        "&gt;", ">"
    )


@pytest.mark.parametrize("rows", [5, 50])
def test_directory_query_count_is_fixed(
    client, member, rows, django_assert_num_queries
):
    for n in range(rows):
        make_user(f"dir{n}@example.org", first_name=f"Person{n}")
    client.force_login(member)
    client.get("/community/members/")  # warm the shared caches (menu, settings)
    with django_assert_num_queries(DIRECTORY_QUERIES):
        response = client.get("/community/members/")
    assert response.content.decode().count('class="member-card"') == min(rows + 1, 30)


@pytest.mark.parametrize("rows", [5, 50])
def test_notifications_query_count_is_fixed(
    client, member, public_space, rows, django_assert_num_queries
):
    from community.models import Notification

    _threads(public_space, make_user("writer@example.org"), rows)
    Notification.objects.bulk_create(
        Notification(user=member, post=post, kind="reply")
        for post in Post.objects.all()
    )
    client.force_login(member)
    client.get("/community/")  # warm the shared caches (menu, settings)
    with django_assert_num_queries(NOTIFICATION_QUERIES):
        response = client.get("/community/notifications/")
    assert (
        response.content.decode().count('class="notification notification--new"')
        == rows
    )
