"""Mentions, watching, immediate and digest emails, unsubscribe."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from community import services
from community.models import Notification, Profile, SpaceWatch, ThreadWatch
from community.tasks import send_digests


@pytest.fixture(autouse=True)
def _send_at_once(settings):
    """What a notification says, sent at once; test_notification_coalescing
    covers the interval that gathers a busy thread's posts into one email."""
    settings.COMMUNITY_NOTIFICATION_INTERVAL = 0


def _prefer(user, preference):
    Profile.objects.filter(user=user).update(email_preference=preference)


@pytest.fixture
def thread(member, public_space):
    return services.create_thread(
        author=member, space=public_space, title="Assessment rubrics", body="Ideas?"
    )


def test_mention_notifies_and_emails_the_member(
    client, thread, member, second_member, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(
            author=second_member, thread=thread, body="Try this, @member and @nobody."
        )
    notice = Notification.objects.get(user=member)
    assert notice.kind == Notification.Kind.MENTION
    assert [m.to for m in mail.outbox] == [[member.email]]
    message = mail.outbox[0]
    assert "Omar Other mentioned you: Assessment rubrics" in message.subject
    assert "Try this, @member" in message.body
    assert "http://" in message.body and f"/community/posts/{notice.post_id}/" in (
        message.body
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    post = notice.post
    assert '<a class="mention" href="/community/members/member/"' in post.body_html
    # The notification shows on the site and is then marked read.
    client.force_login(member)
    html = client.get("/community/notifications/").content.decode()
    assert "mentioned you" in html and "Assessment rubrics" in html and "New" in html
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_posting_watches_the_thread_and_watchers_hear_of_replies(
    thread, member, second_member, group_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(author=second_member, thread=thread, body="First reply")
    assert ThreadWatch.objects.filter(thread=thread, user=second_member).exists()
    assert Notification.objects.get(user=member).kind == Notification.Kind.REPLY
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(author=group_member, thread=thread, body="Second reply")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [member.email, second_member.email]
    )
    # Nobody is told of their own post.
    assert not Notification.objects.filter(user=group_member).exists()


def test_unwatching_stops_notifications(client, thread, member, second_member):
    client.force_login(member)
    client.post(f"/community/threads/{thread.pk}/watch/", {"watch": "0"})
    services.reply(author=second_member, thread=thread, body="Anyone?")
    assert not Notification.objects.filter(user=member).exists()


def test_space_watchers_hear_of_new_threads(
    client, member, second_member, public_space, django_capture_on_commit_callbacks
):
    client.force_login(second_member)
    client.post("/community/spaces/open/watch/", {"watch": "1"})
    assert SpaceWatch.objects.filter(user=second_member, space=public_space).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.create_thread(
            author=member, space=public_space, title="New pilot", body="Details"
        )
    notice = Notification.objects.get(user=second_member)
    assert notice.kind == Notification.Kind.NEW_THREAD
    assert "New pilot" in mail.outbox[-1].subject


def test_site_only_members_get_no_email(
    thread, member, second_member, django_capture_on_commit_callbacks
):
    _prefer(member, Profile.EmailPreference.NONE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(author=second_member, thread=thread, body="@member look")
    assert Notification.objects.filter(user=member).exists()
    assert mail.outbox == []


def test_daily_digest_collects_notifications_once(
    thread, member, second_member, django_capture_on_commit_callbacks
):
    _prefer(member, Profile.EmailPreference.DIGEST)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(author=second_member, thread=thread, body="One")
        services.reply(author=second_member, thread=thread, body="@member two")
    assert mail.outbox == []  # nothing immediate
    call_command("send_digests")
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [member.email]
    assert "digest" in digest.subject.lower()
    assert digest.body.count("Assessment rubrics") == 2
    assert "Unsubscribe" in digest.body
    # Already sent: the next run sends nothing.
    send_digests.enqueue()
    assert len(mail.outbox) == 1


def test_digest_leaves_out_what_the_member_can_no_longer_read(
    member, second_member, group_member, working_group, group_space
):
    services.add_member(working_group=working_group, user=member)
    thread = services.create_thread(
        author=member, space=group_space, title="Private draft", body="Draft"
    )
    _prefer(member, Profile.EmailPreference.DIGEST)
    services.reply(author=group_member, thread=thread, body="Secret reply")
    assert Notification.objects.filter(user=member).exists()
    services.remove_membership(
        by=member, membership=working_group.memberships.get(user=member)
    )
    mail.outbox.clear()
    call_command("send_digests")
    assert mail.outbox == []


def test_signed_unsubscribe_link_stops_emails(
    client, thread, member, second_member, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(author=second_member, thread=thread, body="@member hello")
    url = re.search(r"http://\S+/community/unsubscribe/\S+/", mail.outbox[0].body)[0]
    path = url.split("127.0.0.1:8000", 1)[-1]
    # Signed out, from the email: the page confirms, one click unsubscribes.
    page = client.get(path)
    assert page.status_code == 200 and "Stop community emails" in page.content.decode()
    # A mail client's one-click POST (RFC 8058) carries no CSRF token.
    from django.test import Client

    one_click = Client(enforce_csrf_checks=True)
    assert one_click.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Profile.objects.get(user=member).email_preference == "none"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(author=second_member, thread=thread, body="@member again")
    assert mail.outbox == []


def test_tampered_unsubscribe_link_changes_nothing(client, member):
    response = client.post(f"/community/unsubscribe/{member.pk}:forged/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert Profile.objects.get(user=member).email_preference == "immediate"
