"""Member-written names and titles in email headers (found by the XSS corpus)."""

from django.core import mail

from community import services
from community.models import Profile, Space
from tests.community.conftest import seasoned
from tests.conftest import make_user


def test_a_line_break_in_a_name_or_title_does_not_stop_notifications(
    db, django_capture_on_commit_callbacks, settings
):
    settings.COMMUNITY_NOTIFICATION_INTERVAL = 0  # each post's email at once
    member = seasoned(make_user("member@example.org"))
    second_member = seasoned(make_user("other@example.org"))
    public_space = Space.objects.create(name="Open", slug="open")
    # A payload's line breaks, typed into a display name and a thread title.
    Profile.objects.filter(user=second_member).update(
        display_name="Mallory\nBcc: victim@example.org"
    )
    thread = services.create_thread(
        author=member, space=public_space, title="Rubrics\r\nX-Evil: 1", body="Ideas?"
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.reply(author=second_member, thread=thread, body="A reply")

    assert [m.to for m in mail.outbox] == [[member.email]]
    subject = mail.outbox[0].subject
    assert "\n" not in subject and "\r" not in subject
    assert "Mallory Bcc: victim@example.org" in subject
    assert mail.outbox[0].bcc == []
