"""New members are rate limited; the refused message stays in the form."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import services
from community.models import Post, Thread
from tests.conftest import make_user


@pytest.fixture
def newcomer(db):
    return make_user("newbie@example.org", first_name="Nia", last_name="New")


def _age_posts(user, seconds=3600):
    """Move the member's posts back in time, past the pause between posts."""
    earlier = timezone.now() - timedelta(seconds=seconds)
    Post.objects.filter(author=user).update(created_at=earlier)
    Thread.objects.filter(author=user).update(created_at=earlier)


def test_pause_between_posts_keeps_the_text(client, newcomer, public_space):
    thread = services.create_thread(
        author=newcomer, space=public_space, title="Hello", body="Hi all"
    )
    client.force_login(newcomer)
    response = client.post(
        thread.get_absolute_url(), {"body": "My carefully written reply"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "You are posting too quickly" in html
    assert "My carefully written reply</textarea>" in html
    assert thread.posts.count() == 1


def test_new_members_get_three_threads_on_their_first_day(
    client, newcomer, public_space
):
    for n in range(3):
        services.create_thread(
            author=newcomer, space=public_space, title=f"T{n}", body="text"
        )
        _age_posts(newcomer)
    client.force_login(newcomer)
    response = client.post(
        "/community/spaces/open/new/", {"title": "Fourth", "body": "Keep me"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "New members can start 3 threads on their first day" in html
    assert 'value="Fourth"' in html and "Keep me</textarea>" in html
    assert Thread.objects.filter(author=newcomer).count() == 3


def test_new_members_get_ten_replies_on_their_first_day(newcomer, member, public_space):
    thread = services.create_thread(
        author=member, space=public_space, title="Busy", body="text"
    )
    for n in range(10):
        services.reply(author=newcomer, thread=thread, body=f"reply {n}")
        _age_posts(newcomer)
    with pytest.raises(services.CommunityError, match="10 replies"):
        services.reply(author=newcomer, thread=thread, body="eleventh")
    assert thread.posts.filter(author=newcomer).count() == 10


def test_new_members_may_post_few_links(client, newcomer, public_space):
    client.force_login(newcomer)
    body = "See https://a.example, https://b.example and [c](https://c.example)"
    response = client.post(
        "/community/spaces/open/new/", {"title": "Links", "body": body}
    )
    assert response.status_code == 400
    assert "at most 2 links" in response.content.decode()
    assert not Thread.objects.exists()
    ok = client.post(
        "/community/spaces/open/new/",
        {"title": "Links", "body": "Just https://a.example"},
    )
    assert ok.status_code == 302


def test_established_members_are_not_limited(member, public_space):
    thread = services.create_thread(
        author=member,
        space=public_space,
        title="Busy",
        body="a https://x.example https://y.example https://z.example",
    )
    for n in range(12):
        services.reply(author=member, thread=thread, body=f"quick {n}")
    assert thread.posts.count() == 13


def test_limits_can_be_changed_in_settings(settings, newcomer, public_space):
    settings.COMMUNITY_RATE_LIMITS = {"threads_first_day": 1}
    services.create_thread(author=newcomer, space=public_space, title="a", body="b")
    _age_posts(newcomer)
    with pytest.raises(services.CommunityError, match="1 threads"):
        services.create_thread(author=newcomer, space=public_space, title="c", body="d")
