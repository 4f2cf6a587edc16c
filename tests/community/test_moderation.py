"""Flags, the moderation queue in the Wagtail admin, and the audit log."""

import pytest

from community import services
from community.models import Flag, ModerationLog, Post, Profile


@pytest.fixture
def thread(member, public_space):
    return services.create_thread(
        author=member, space=public_space, title="Spammy thread", body="Buy now!"
    )


@pytest.fixture
def flagged(client, thread, second_member):
    post = thread.posts.get()
    client.force_login(second_member)
    response = client.post(
        f"/community/posts/{post.pk}/flag/", {"reason": "Advertising"}
    )
    assert response.status_code == 302
    client.logout()
    return post


def test_flag_needs_a_reason_and_is_not_repeated(client, thread, second_member):
    post = thread.posts.get()
    client.force_login(second_member)
    empty = client.post(f"/community/posts/{post.pk}/flag/", {"reason": ""})
    assert empty.status_code == 400
    assert not Flag.objects.exists()
    client.post(f"/community/posts/{post.pk}/flag/", {"reason": "Spam"})
    again = client.post(f"/community/posts/{post.pk}/flag/", {"reason": "Spam"})
    assert "already flagged" in again.content.decode()
    assert Flag.objects.count() == 1


def test_flags_reach_the_queue_and_a_moderator_hides_the_post(
    client, flagged, moderator, thread, member
):
    client.force_login(moderator)
    queue = client.get("/admin/community/moderation/")
    html = queue.content.decode()
    assert queue.status_code == 200
    assert "Spammy thread" in html and "Advertising" in html
    response = client.post(
        f"/admin/community/moderation/{flagged.pk}/", {"action": "hide"}
    )
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.hidden_at is not None
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    # Readers no longer see it; the moderator still can, marked as hidden.
    client.logout()
    assert "Buy now!" not in client.get(thread.get_absolute_url()).content.decode()
    client.force_login(moderator)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Buy now!" in html and "Hidden by a moderator" in html
    # Restore.
    client.post(f"/admin/community/moderation/{flagged.pk}/", {"action": "restore"})
    client.logout()
    assert "Buy now!" in client.get(thread.get_absolute_url()).content.decode()
    actions = list(
        ModerationLog.objects.order_by("created_at", "pk").values_list(
            "action", "actor__username", "post_id", "member__username"
        )
    )
    assert actions == [
        ("hide", "mod", flagged.pk, "member"),
        ("restore", "mod", flagged.pk, "member"),
    ]


def test_members_cannot_open_the_queue_or_act(client, flagged, member, second_member):
    client.force_login(second_member)
    assert client.get("/admin/community/moderation/").status_code in {302, 403}
    client.post(f"/admin/community/moderation/{flagged.pk}/", {"action": "hide"})
    flagged.refresh_from_db()
    assert flagged.hidden_at is None
    assert not ModerationLog.objects.exists()


def test_suspended_member_cannot_post(client, flagged, moderator, member, thread):
    client.force_login(moderator)
    client.post(
        f"/admin/community/moderation/{flagged.pk}/",
        {"action": "suspend", "days": "7", "reason": "Spam"},
    )
    assert Profile.objects.get(user=member).is_suspended
    client.force_login(member)
    response = client.post(thread.get_absolute_url(), {"body": "More spam"})
    assert response.status_code == 400
    assert "Your posting is suspended until" in response.content.decode()
    assert thread.posts.count() == 1
    entry = ModerationLog.objects.get(action="suspend")
    assert entry.member == member and entry.actor == moderator
    assert "7 days" in entry.details


def test_bad_suspension_input_changes_nothing(client, flagged, moderator, member):
    client.force_login(moderator)
    client.post(
        f"/admin/community/moderation/{flagged.pk}/",
        {"action": "suspend", "days": "-3"},
    )
    assert not Profile.objects.get(user=member).is_suspended
    assert not ModerationLog.objects.exists()


def test_moderator_pins_locks_and_moves_threads(
    client, thread, moderator, member, members_space, public_space
):
    other = services.create_thread(
        author=member, space=public_space, title="Newer thread", body="x"
    )
    client.force_login(moderator)
    url = f"/community/threads/{thread.pk}/moderate/"
    client.post(url, {"action": "pin"})
    client.post(url, {"action": "lock"})
    space_page = client.get("/community/spaces/open/").content.decode()
    assert space_page.index("Spammy thread") < space_page.index("Newer thread")
    client.force_login(member)
    response = client.post(thread.get_absolute_url(), {"body": "late reply"})
    assert "locked" in response.content.decode()
    assert thread.posts.count() == 1
    client.force_login(moderator)
    client.post(url, {"action": "move", "space": members_space.pk})
    thread.refresh_from_db()
    assert thread.space == members_space and thread.is_pinned and thread.is_locked
    log = ModerationLog.objects.order_by("created_at", "pk")
    assert [e.action for e in log] == ["pin", "lock", "move"]
    assert log.last().details == "Community of practice → Members lounge"
    assert other.space == public_space
    # Members cannot use the moderation form.
    client.force_login(member)
    assert client.post(url, {"action": "unpin"}).status_code == 404


def test_audit_log_in_the_admin_lists_who_what_when(client, flagged, moderator):
    services.hide_post(moderator=moderator, post=flagged, reason="Ad")
    client.force_login(moderator)
    html = client.get("/admin/community/audit-log/").content.decode()
    assert "Hid a post" in html and "Moe Mod" in html and "Spammy thread" in html


def test_decision_marked_by_the_working_group_shows_at_the_top(
    client, group_member, outsider_member, group_space, moderator
):
    thread = services.create_thread(
        author=group_member, space=group_space, title="Validation", body="Options?"
    )
    decision = services.reply(
        author=group_member, thread=thread, body="We require validation."
    )
    client.force_login(group_member)
    client.post(f"/community/posts/{decision.pk}/decision/")
    thread.refresh_from_db()
    assert thread.decision == decision
    html = client.get(thread.get_absolute_url()).content.decode()
    assert html.index("Decision</h2>") < html.index("Options?")
    with pytest.raises(services.CommunityError):
        services.mark_decision(user=outsider_member, post=decision)
    assert ModerationLog.objects.filter(action="decision").count() == 1


def test_hidden_posts_are_left_out_of_search_for_members(
    client, flagged, moderator, second_member
):
    services.hide_post(moderator=moderator, post=flagged)
    client.force_login(second_member)
    html = client.get("/community/search/", {"q": "Buy"}, follow=True).text
    assert "Spammy thread" not in html
    assert Post.objects.visible_to(moderator).filter(pk=flagged.pk).exists()


def test_moderator_suspends_from_the_profile_and_lifts_it(
    client, moderator, member, second_member
):
    client.force_login(second_member)
    assert (
        client.post("/community/members/member/suspend/", {"days": "3"}).status_code
        == 404
    )
    assert not Profile.objects.get(user=member).is_suspended
    client.force_login(moderator)
    page = client.get("/community/members/member/").content.decode()
    assert "Update suspension" in page
    client.post("/community/members/member/suspend/", {"days": "3", "reason": "Heat"})
    assert Profile.objects.get(user=member).is_suspended
    client.post("/community/members/member/suspend/", {"days": "0"})
    assert not Profile.objects.get(user=member).is_suspended
    assert [e.action for e in ModerationLog.objects.order_by("pk")] == [
        "suspend",
        "unsuspend",
    ]
