"""Query budget of a discussion thread (see tests/budget.py)."""

import pytest

from community import markdown
from community.models import Post, Reaction, Thread
from tests.budget import assert_within
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

# (warm, cold) for an anonymous visitor and for a signed-in member.
THREAD_PAGE = {False: (3, 6), True: (6, 10)}


@pytest.mark.parametrize("signed_in", [False, True])
def test_thread_with_5_and_50_posts(client, member, public_space, signed_in):
    thread = Thread.objects.create(space=public_space, title="Busy", author=member)
    authors = [make_user(f"poster{n}@example.org") for n in range(10)]

    def grow(start, stop):
        for number in range(start, stop):
            post = Post.objects.create(
                thread=thread,
                author=authors[number % 10],
                body=f"post {number}",
                body_html=markdown.render(f"post **{number}**", {}),
            )
            Reaction.objects.create(post=post, user=authors[(number + 1) % 10])

    def check(html, rows):
        assert html.count('<article class="post') == min(rows, 20)

    if signed_in:
        client.force_login(member)
    warm, cold = THREAD_PAGE[signed_in]
    assert_within(
        client, thread.get_absolute_url(), warm, cold=cold, grow=grow, check=check
    )
