"""A busy thread mails each watcher at most once per interval, listing the
posts they have not been sent (issue 17: 102 replies sent ~5,150 emails)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F

from community import services
from community.models import Notification, Profile
from tests.conftest import make_user

from .conftest import seasoned

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_thread(member, public_space, settings, django_capture_on_commit_callbacks):
    """20 members reply once each, within the interval."""
    settings.COMMUNITY_NOTIFICATION_INTERVAL = 300
    thread = services.create_thread(
        author=member, space=public_space, title="Stackable credentials", body="Go"
    )
    repliers = [
        seasoned(make_user(f"r{n}@example.org", first_name=f"Replier{n:02d}"))
        for n in range(20)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for n, replier in enumerate(repliers):
            services.reply(author=replier, thread=thread, body=f"Reply number {n}")
    return thread, repliers


def wait_out_the_interval():
    """What the interval's passing means to the data: every notice is older."""
    Notification.objects.update(created_at=F("created_at") - timedelta(seconds=300))


def names_in(message):
    return {word for word in message.body.split() if word.startswith("Replier")}


def test_twenty_replies_make_one_email_per_watcher(busy_thread, member):
    thread, repliers = busy_thread
    assert mail.outbox == []  # nothing yet: the thread is still busy
    wait_out_the_interval()
    call_command("send_notifications")

    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients)) == 20  # author + 19 repliers
    by_address = {m.to[0]: m for m in mail.outbox}
    started = by_address[member.email]
    assert started.subject.endswith("20 new posts: Stackable credentials")
    assert names_in(started) == {f"Replier{n:02d}" for n in range(20)}
    for n, replier in enumerate(repliers[:-1]):
        # Each replier watches from their own reply on, never hears of it.
        assert names_in(by_address[replier.email]) == {
            f"Replier{k:02d}" for k in range(n + 1, 20)
        }
    assert repliers[-1].email not in by_address

    # Sent once: a second run, or a reply inside the next interval, sends nothing.
    mail.outbox.clear()
    call_command("send_notifications")
    services.reply(author=member, thread=thread, body="Thanks all")
    call_command("send_notifications")
    assert mail.outbox == []
    wait_out_the_interval()
    call_command("send_notifications")
    assert len(mail.outbox) == 20
    assert all("Thanks all" in m.body for m in mail.outbox)


def test_unsubscribed_members_and_hidden_posts_stay_out(
    busy_thread, member, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission

    thread, repliers = busy_thread
    Profile.objects.filter(user=repliers[0]).update(email_preference="none")
    moderator = make_user("mod@example.org")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_post"))
    hidden = thread.posts.get(body="Reply number 5")
    services.hide_post(moderator=moderator, post=hidden)

    wait_out_the_interval()
    call_command("send_notifications")
    addresses = [m.to[0] for m in mail.outbox]
    assert repliers[0].email not in addresses
    assert len(addresses) == 19
    for message in mail.outbox:
        assert "Reply number 5" not in message.body
        assert "Replier05" not in names_in(message)


@pytest.mark.django_db(transaction=True)  # the worker closes its connection
def test_a_deferring_backend_sends_when_the_interval_ends(
    settings, member, second_member, public_space, django_capture_on_commit_callbacks
):
    """In production (the database task backend) each post's send waits for the
    end of the interval; a worker then sends one email for everything new."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    settings.COMMUNITY_NOTIFICATION_INTERVAL = 300
    thread = services.create_thread(
        author=member, space=public_space, title="Stackable credentials", body="Go"
    )
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(author=second_member, thread=thread, body="First")
        services.reply(author=second_member, thread=thread, body="Second")
    queued = DBTaskResult.objects.filter(
        task_path="community.tasks.send_notification_emails"
    )
    assert queued.count() == 2
    for result in queued:
        assert result.args_kwargs["args"] == [thread.pk]
        assert result.run_after >= before + timedelta(seconds=300)

    def work():
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
        )

    work()  # nothing is due yet
    assert mail.outbox == []
    wait_out_the_interval()
    queued.update(run_after=F("run_after") - timedelta(seconds=300))
    work()
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "First" in mail.outbox[0].body and "Second" in mail.outbox[0].body
