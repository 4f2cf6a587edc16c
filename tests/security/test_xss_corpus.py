"""The XSS corpus: every payload, in every field users write, rendered in Chromium.

tests/community/xss_payloads.py holds the payloads. Each test below puts all of
them into one kind of user input (through the same services the forms use),
then opens every page that shows that input, batched where the page is a list,
with a dialog trap, a scan for surviving handlers and script URLs, and the
`csp_violations` fixture failing the test on any Content-Security-Policy
violation. Run with `-s` to see the payload × sink counts.
"""

import csv
import io
import math
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community import services as community
from community.models import Post, Space
from tests.community.xss_payloads import PAYLOADS
from tests.conftest import make_user
from tests.security.csp_browsing import XSSTrap, sign_in, sign_in_to_admin

pytestmark = pytest.mark.browser

N = len(PAYLOADS)
TITLES = "thread titles in the space's list"
POSTS = "posts (Markdown) and author names in a thread"
THREAD = "thread title on the thread's page"
DIRECTORY = "member directory (names, organisations, roles)"
PROFILE = "profile page (display name, bio, organisation, role, sector)"
QUEUE = "staff: moderation queue (posts, flag reasons)"
USERS = "staff: Wagtail user listing (names)"


def _report(trap, what, *, complete):
    """Print the counts (with -s); text sinks must have shown every payload."""
    print(f"\nXSS corpus, {what}: {N} payloads written into each sink")  # noqa: T201
    for sink, seen in trap.sinks.items():
        print(f"  {sink}: {len(seen)} payloads seen on the page, 0 ran")  # noqa: T201
    for sink in complete:
        missing = [trap.keys[n] for n in range(N) if n not in trap.sinks[sink]]
        assert missing == [], f"{sink}: not seen {missing}"


def _pages(count, per_page):
    return range(1, math.ceil(count / per_page) + 1)


def _author(number, payload):
    user = make_user(
        f"author{number}@example.org",
        first_name=payload[:150],
        last_name=payload[:150],
    )
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    profile = community.profile_for(user)
    profile.display_name = payload[:120]
    profile.organisation = payload[:200]
    profile.role = payload[:120]
    profile.sector = payload[:120]
    profile.bio = payload
    profile.visibility = profile.Visibility.PUBLIC
    profile.save()
    return user


def test_community_threads_posts_history_profiles_emails_and_moderation(
    page, live_server, transactional_db, home_page, staff, settings
):
    settings.COMMUNITY_NOTIFICATION_INTERVAL = 0  # each post's email at once
    space = Space.objects.create(name="Open", slug="open")
    reader = make_user("reader@example.org", first_name="Rita", last_name="Reader")
    reader.date_joined = timezone.now() - timedelta(days=30)
    reader.save(update_fields=["date_joined"])
    community.set_watch(user=reader, target=space, watching=True)
    authors = [_author(number, payload) for number, payload in enumerate(PAYLOADS)]

    # Each author starts a thread titled with their payload; the first thread
    # gets every payload as a reply, and its first post is edited through all.
    threads = [
        community.create_thread(author=a, space=space, title=p[:200], body=p)
        for a, p in zip(authors, PAYLOADS, strict=True)
    ]
    big = threads[0]
    community.set_watch(user=reader, target=big, watching=True)
    replies = [
        community.reply(author=a, thread=big, body=p)
        for a, p in zip(authors, PAYLOADS, strict=True)
    ]
    edited = big.posts.order_by("pk").first()
    for payload in [*PAYLOADS[1:], "The final text."]:
        community.edit_post(user=authors[0], post=edited, body=payload)
    # Members flag the replies with a payload as the reason; a moderator hides
    # the other threads' first posts, giving a payload as the reason.
    for reply, payload in zip(replies, PAYLOADS, strict=True):
        community.flag_post(user=reader, post=reply, reason=payload)
    for thread, payload in zip(threads[1:], PAYLOADS[1:], strict=True):
        community.hide_post(
            moderator=staff, post=thread.posts.order_by("pk").first(), reason=payload
        )
    assert Post.objects.filter(thread=big).count() == N + 1

    trap = XSSTrap(page, PAYLOADS)
    sign_in(page, reader, next_url="/community/")
    for number in _pages(N, 30):
        trap.visit(f"/community/spaces/open/?page={number}", TITLES)
    for number in _pages(N + 1, 20):
        trap.visit(f"{big.get_absolute_url()}?page={number}", POSTS)
    for thread in threads[1:]:
        trap.visit(thread.get_absolute_url(), THREAD)
    trap.visit(big.get_absolute_url(), THREAD)
    trap.visit(f"/community/posts/{edited.pk}/history/", "post edit history")
    trap.visit("/community/search/?q=xss", "community search results")
    trap.visit("/search/?q=xss", "site search results")
    for number in _pages(N + 3, 30):
        trap.visit(f"/community/members/?page={number}", DIRECTORY)
    for author in authors:
        trap.visit(f"/community/members/{author.username}/", PROFILE)
    trap.visit("/community/notifications/", "notifications page")

    emails = [
        message
        for message in mail.outbox
        if getattr(message, "alternatives", None) and message.to == [reader.email]
    ]
    assert len(emails) >= 1
    # Thirty emails at a time in one document: a mail client shows each alone,
    # but what runs in one runs in a document of many as well.
    bodies = [message.alternatives[0][0] for message in emails]
    for start in range(0, len(bodies), 30):
        trap.show_html(
            "\n".join(bodies[start : start + 30]), f"HTML emails ({len(bodies)})"
        )

    page.context.clear_cookies()
    sign_in_to_admin(page, staff)
    trap.visit("/admin/community/moderation/", QUEUE)
    trap.visit("/admin/community/audit-log/", "staff: moderation audit log (reasons)")
    for number in _pages(N + 2, 20):
        trap.visit(f"/admin/users/?p={number}", USERS)
    _report(trap, "community", complete=[TITLES, THREAD, DIRECTORY, PROFILE, QUEUE])


def test_event_registrations_in_staff_pages(
    page, live_server, transactional_db, home_page, staff
):
    from events import services as events
    from events.models import EventIndexPage, EventPage

    index = EventIndexPage(title="Events", slug="xss-events")
    home_page.add_child(instance=index)
    now = timezone.now()
    event = EventPage(
        title="Forum",
        slug="forum",
        start=now + timedelta(days=30),
        end=now + timedelta(days=30, hours=8),
        event_format=EventPage.Format.IN_PERSON,
        venue="Toronto",
        capacity=N * 2,
        registration_opens=now - timedelta(days=1),
        registration_closes=now + timedelta(days=20),
    )
    index.add_child(instance=event)
    event.save_revision().publish()
    for number, payload in enumerate(PAYLOADS):
        # A guest and a member register with the payload in every field.
        events.register(
            event=event,
            name=payload[:200],
            email=f"guest{number}@example.org",
            organisation=payload[:200],
            role=payload[:200],
            accommodations=payload,
            dietary=payload,
        )
        member = make_user(
            f"member{number}@example.org", first_name=payload[:150], last_name="M"
        )
        events.register(
            event=event,
            name=payload[:200],
            email=member.email,
            user=member,
            email_verified=True,
            organisation=payload[:200],
            role=payload[:200],
        )

    listing = (
        "staff: registrations list (guests' and members' names, organisations, "
        "roles, accommodations, dietary needs)"
    )
    trap = XSSTrap(page, PAYLOADS)
    sign_in_to_admin(page, staff)
    trap.visit("/admin/registrations/")
    trap.visit(f"/admin/registrations/{event.pk}/", listing)
    trap.visit(f"/admin/registrations/{event.pk}/?q=xss", "staff: registrations search")
    trap.visit(f"/admin/registrations/{event.pk}/check-in/")
    _report(trap, "registrations", complete=[listing])


def test_contact_messages_in_the_admin(
    page, live_server, transactional_db, home_page, staff
):
    from wagtail.contrib.forms.utils import get_form_types

    from cms.models import ContactPage

    # Wagtail keeps the form pages' content type ids for the process; an
    # earlier transactional test's flush made new ones.
    get_form_types.cache_clear()
    contact = ContactPage.objects.get()
    submission = contact.get_submission_class()
    for number, payload in enumerate(PAYLOADS):
        submission.objects.create(
            page=contact,
            form_data={
                "your_name": payload,
                "your_email": f"visitor{number}@example.org",
                "organisation": payload,
                "message": payload,
            },
        )

    listing = "staff: contact form submissions (name, organisation, message)"
    trap = XSSTrap(page, PAYLOADS)
    sign_in_to_admin(page, staff)
    trap.visit("/admin/forms/")
    for number in _pages(N, 20):
        trap.visit(f"/admin/forms/submissions/{contact.pk}/?p={number}", listing)
    _report(trap, "contact messages", complete=[listing])


def test_catalogue_entries_from_an_import_and_from_staff(
    page, live_server, transactional_db, home_page, staff
):
    from credentials import services as credentials
    from credentials.models import MicroCredential
    from tests.credentials.factories import make_credential, make_provider
    from tests.credentials.test_import import COLUMNS, row

    make_provider("Lakeshore College")
    rows = [
        row(
            number,
            title=payload[:255],
            description=payload,
            learning_outcomes=payload,
            assessment=payload,
            quality_assurance=payload,
            skills=f"skill {number}",
        )
        for number, payload in enumerate(PAYLOADS)
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    credentials.import_credentials(
        rows=credentials.parse_file(out.getvalue().encode(), "catalogue.csv")
    )
    assert MicroCredential.objects.count() == N
    # A provider and an entry written by staff in the admin's fields.
    provider = make_provider(PAYLOADS[2][:200], slug="payload-provider")
    make_credential(
        PAYLOADS[0][:255],
        provider=provider,
        description=PAYLOADS[1],
        prerequisites=PAYLOADS[3],
        endorsements=PAYLOADS[4],
        skills=[PAYLOADS[5][:100]],
    )

    listing = "catalogue list (titles, descriptions, providers, skills)"
    detail = "catalogue entry page and its JSON-LD (every text field)"
    admin = "staff: catalogue entries in the admin"
    trap = XSSTrap(page, PAYLOADS)
    for number in _pages(N + 1, 100):
        trap.visit(f"/catalogue/?per_page=100&page={number}", listing)
    trap.visit("/catalogue/?q=xss", "catalogue search")
    for entry in MicroCredential.objects.all():
        trap.visit(entry.get_absolute_url(), detail)
    sign_in_to_admin(page, staff)
    for number in _pages(N + 1, 20):
        trap.visit(f"/admin/snippets/credentials/microcredential/?p={number}", admin)
    _report(trap, "catalogue", complete=[listing, detail, admin])
