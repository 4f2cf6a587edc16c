"""List pages cost the same number of queries for 5 and for 50 rows.

Each test measures one page at 5 rows, adds 45 more and measures again: the
totals must match, and the community's own queries are pinned. The shared
layout (menu, site settings) is warmed first and not pinned here, so its
caching, which the cms app owns, can change without breaking these tests.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import markdown
from community.models import Notification, Post, Reaction, ReadState, Thread
from tests.conftest import make_user


def measure(client, url, warm_url=None):
    # Warm the shared caches (menu, site settings, the request's site): twice,
    # since the first request of a test creates the site settings, which
    # renews the page fragments (tests/budget.py does the same).
    client.get(warm_url or url)
    client.get(warm_url or url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    own = [q for q in context.captured_queries if '"community_' in q["sql"]]
    return response.content.decode(), len(own), len(context.captured_queries)


def assert_fixed(client, url, grow, pinned, check, warm_url=None):
    """Measure at 5 rows and at 50 rows."""
    grow(0, 5)
    html, own_small, total_small = measure(client, url, warm_url)
    check(html, 5)
    grow(5, 50)
    html, own_large, total_large = measure(client, url, warm_url)
    check(html, 50)
    assert (own_small, own_large) == (pinned, pinned)
    assert total_small == total_large


def _threads(space, author):
    now = timezone.now()

    def grow(start, stop):
        for n in range(start, stop):
            thread = Thread.objects.create(
                space=space, title=f"Thread {n}", author=author, reply_count=1
            )
            Post.objects.create(
                thread=thread, author=author, body="x", body_html="<p>x</p>"
            )
            if n % 2:
                ReadState.objects.create(thread=thread, user=author, last_read_at=now)

    return grow


def test_space_page_query_count_is_fixed(client, member, public_space):
    client.force_login(member)
    assert_fixed(
        client,
        "/community/spaces/open/",
        _threads(public_space, member),
        pinned=4,
        check=lambda html, n: html.count('class="thread-row') == min(n, 30),
    )


def test_space_page_query_count_for_visitors(client, member, public_space):
    assert_fixed(
        client,
        "/community/spaces/open/",
        _threads(public_space, member),
        pinned=3,
        check=lambda html, n: html.count('class="thread-row') == min(n, 30),
    )


def test_feed_query_count_is_fixed(client, member, public_space):
    def check(html, n):
        assert html.count("<entry>") == min(n, 30)
        assert "&lt;p&gt;x&lt;/p&gt;" in html

    assert_fixed(
        client,
        "/community/spaces/open/feed/",
        _threads(public_space, member),
        pinned=3,
        check=check,
    )


def test_thread_page_query_count_is_fixed(client, member, group_member, group_space):
    thread = Thread.objects.create(space=group_space, title="Busy", author=member)
    authors = [make_user(f"poster{n}@example.org") for n in range(10)]

    def grow(start, stop):
        for n in range(start, stop):
            post = Post.objects.create(
                thread=thread,
                author=authors[n % 10],
                body=f"post {n}",
                body_html=markdown.render(f"post **{n}**", {}),
            )
            Reaction.objects.create(post=post, user=authors[(n + 1) % 10])

    client.force_login(group_member)
    assert_fixed(
        client,
        thread.get_absolute_url(),
        grow,
        pinned=3,
        check=lambda html, n: html.count('<article class="post') == min(n, 20),
    )


def test_directory_query_count_is_fixed(client, member):
    def grow(start, stop):
        for n in range(start, stop):
            make_user(f"dir{n}@example.org", first_name=f"Person{n}")

    client.force_login(member)
    assert_fixed(
        client,
        "/community/members/",
        grow,
        pinned=2,
        check=lambda html, n: html.count('class="member-card"') == min(n + 1, 30),
    )


def test_notifications_query_count_is_fixed(client, member, public_space):
    writer = make_user("writer@example.org")
    add_threads = _threads(public_space, writer)

    def grow(start, stop):
        add_threads(start, stop)
        Notification.objects.bulk_create(
            Notification(user=member, post=post, kind="reply")
            for post in Post.objects.filter(
                thread__title__in=[f"Thread {n}" for n in range(start, stop)]
            )
        )

    client.force_login(member)
    assert_fixed(
        client,
        "/community/notifications/",
        grow,
        pinned=2,  # the list, and marking the new ones read
        check=lambda html, n: html.count("notification--new") == (5 if n == 5 else 45),
        warm_url="/community/",
    )
