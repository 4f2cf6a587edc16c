"""Who sees what, tried from the outside through the client.

Roles: anonymous, member, member of another working group, member of the
group, moderator. Each private thread holds a word found nowhere else.
"""

import pytest
from django.core import mail

from community import services
from community.models import Notification, SpaceWatch, Thread

SECRET = "quokkaflange"
MEMBERS_SECRET = "wombatsprocket"


@pytest.fixture
def world(
    home_page,
    member,
    second_member,
    group_member,
    outsider_member,
    moderator,
    public_space,
    members_space,
    group_space,
    django_capture_on_commit_callbacks,
):
    # Everyone watches every space they could read, so notifications would
    # reach them if visibility did not stop it.
    for user in (member, second_member, group_member, outsider_member, moderator):
        for space in (public_space, members_space, group_space):
            SpaceWatch.objects.create(user=user, space=space)
    # As in production, what is written once the transaction commits (the
    # threads' search text, notifications) is written.
    with django_capture_on_commit_callbacks(execute=True):
        return _threads(
            services,
            second_member,
            group_member,
            public_space,
            members_space,
            group_space,
        )


def _threads(
    services, second_member, group_member, public_space, members_space, group_space
):
    open_thread = services.create_thread(
        author=second_member,
        space=public_space,
        title="Open question",
        body="Anyone can read this.",
    )
    lounge = services.create_thread(
        author=second_member,
        space=members_space,
        title="Lounge chat",
        body=f"Only members read {MEMBERS_SECRET}.",
    )
    private = services.create_thread(
        author=group_member,
        space=group_space,
        title="Draft decisions",
        body=f"Only the working group reads {SECRET}. @member @otto",
    )
    return {"open": open_thread, "lounge": lounge, "private": private}


ROLES = ["anonymous", "member", "outsider", "group", "moderator"]


def _login(client, role, request):
    users = {
        "member": "member",
        "outsider": "outsider_member",
        "group": "group_member",
        "moderator": "moderator",
    }
    if role == "anonymous":
        return None
    user = request.getfixturevalue(users[role])
    client.force_login(user)
    return user


# role -> can read (open, members lounge, group space)
CAN_READ = {
    "anonymous": (True, False, False),
    "member": (True, True, False),
    "outsider": (True, True, False),
    "group": (True, True, True),
    "moderator": (True, True, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_space_list_shows_only_readable_spaces(client, world, role, request):
    _login(client, role, request)
    html = client.get("/community/").content.decode()
    open_ok, lounge_ok, group_ok = CAN_READ[role]
    assert ("Community of practice" in html) is open_ok
    assert ("Members lounge" in html) is lounge_ok
    assert ("Working group drafts" in html) is group_ok


@pytest.mark.parametrize("role", ROLES)
def test_spaces_and_threads_answer_404_when_private(client, world, role, request):
    _login(client, role, request)
    for key, slug, allowed in zip(
        ["open", "lounge", "private"],
        ["open", "lounge", "drafts"],
        CAN_READ[role],
        strict=True,
    ):
        thread = world[key]
        expected = 200 if allowed else 404
        assert client.get(f"/community/spaces/{slug}/").status_code == expected
        response = client.get(thread.get_absolute_url())
        assert response.status_code == expected
        post = thread.posts.get()
        assert client.get(f"/community/posts/{post.pk}/history/").status_code == (
            expected
        )
        if not allowed:
            assert thread.title not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_posting_follows_visibility(client, world, role, request):
    _login(client, role, request)
    thread = world["private"]
    before = thread.posts.count()
    response = client.post(thread.get_absolute_url(), {"body": "Me too"})
    if role in {"group", "moderator"}:
        assert response.status_code == 302
        assert thread.posts.count() == before + 1
    else:
        assert response.status_code == 404
        assert thread.posts.count() == before
    new = client.post("/community/spaces/drafts/new/", {"title": "x", "body": "y"})
    if role in {"group", "moderator"}:
        assert new.status_code == 302
    else:
        assert new.status_code in {302, 404}
        assert not Thread.objects.filter(title="x").exists()


def test_anonymous_reads_public_space_but_must_sign_in_to_post(client, world):
    thread = world["open"]
    response = client.get(thread.get_absolute_url())
    assert "Anyone can read this." in response.content.decode()
    assert "Sign in to reply" in response.content.decode()
    client.post(thread.get_absolute_url(), {"body": "anonymous words"})
    assert not thread.posts.filter(body="anonymous words").exists()


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_private_words_only_for_readers(client, world, role, request):
    _login(client, role, request)
    _, lounge_ok, group_ok = CAN_READ[role]
    html = client.get("/community/search/", {"q": SECRET}, follow=True).text
    assert ("Draft decisions" in html) is group_ok
    html = client.get("/community/search/", {"q": MEMBERS_SECRET}, follow=True).text
    assert ("Lounge chat" in html) is lounge_ok


def test_visible_to_querysets_hide_private_content_from_search_engines(world):
    from django.contrib.auth.models import AnonymousUser

    from community.models import Post, Space

    anonymous = AnonymousUser()
    assert set(Space.objects.visible_to(anonymous).values_list("slug", flat=True)) == {
        "open"
    }
    assert not Post.objects.visible_to(anonymous).filter(body__contains=SECRET)
    assert not Thread.objects.visible_to(anonymous).filter(title="Lounge chat")


@pytest.mark.parametrize("role", ROLES)
def test_feeds_exist_only_for_public_spaces(client, world, role, request):
    _login(client, role, request)
    response = client.get("/community/spaces/open/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Open question" in body
    assert SECRET not in body and "Lounge chat" not in body
    for slug in ("lounge", "drafts"):
        assert client.get(f"/community/spaces/{slug}/feed/").status_code == 404


def test_notifications_and_email_reach_only_readers(
    client, world, member, outsider_member, group_member, moderator, second_member
):
    """The private thread mentions @member and @otto and every user watches
    every space: only those who can read the group space hear about it."""
    private_post = world["private"].posts.get()
    notified = set(
        Notification.objects.filter(post=private_post).values_list(
            "user__username", flat=True
        )
    )
    assert notified == {"mod"}
    for user in (member, outsider_member, second_member):
        client.force_login(user)
        html = client.get("/community/notifications/").content.decode()
        assert "Draft decisions" not in html
        assert not [m for m in mail.outbox if user.email in m.to and SECRET in m.body]
    client.force_login(moderator)
    assert "Draft decisions" in client.get("/community/notifications/").content.decode()


def test_losing_membership_closes_the_space(client, world, group_member, working_group):
    client.force_login(group_member)
    assert client.get(world["private"].get_absolute_url()).status_code == 200
    membership = working_group.memberships.get(user=group_member)
    services.remove_membership(by=group_member, membership=membership)
    assert client.get(world["private"].get_absolute_url()).status_code == 404
    assert not group_member.groups.filter(pk=working_group.group_id).exists()


@pytest.mark.parametrize("role", ROLES)
def test_api_follows_visibility(client, world, role, request):
    _login(client, role, request)
    open_ok, lounge_ok, group_ok = CAN_READ[role]
    spaces = client.get("/api/v1/community/spaces").json()
    assert {s["slug"] for s in spaces} == {
        slug
        for slug, ok in zip(["open", "lounge", "drafts"], CAN_READ[role], strict=True)
        if ok
    }
    threads = client.get("/api/v1/community/spaces/drafts/threads")
    assert threads.status_code == (200 if group_ok else 404)
    posts = client.get(f"/api/v1/community/threads/{world['private'].pk}/posts")
    assert posts.status_code == (200 if group_ok else 404)
    if group_ok:
        assert SECRET in posts.json()["items"][0]["body_html"]
    else:
        assert SECRET not in posts.content.decode()
    open_posts = client.get(f"/api/v1/community/threads/{world['open'].pk}/posts")
    assert open_posts.json()["items"][0]["body_html"] == "<p>Anyone can read this.</p>"


def test_can_read_space_agrees_with_visible_to(
    world,
    member,
    group_member,
    outsider_member,
    moderator,
    public_space,
    members_space,
    group_space,
):
    from django.contrib.auth.models import AnonymousUser

    from community.managers import can_read_space
    from community.models import Space

    outsider_member.is_active = False
    outsider_member.save()
    for user in (
        None,
        AnonymousUser(),
        member,
        group_member,
        outsider_member,
        moderator,
    ):
        readable = set(Space.objects.visible_to(user))
        for space in (public_space, members_space, group_space):
            assert can_read_space(user, space) == (space in readable), (user, space)
