"""Shared data for the input tests (tests/security/test_input_*.py)."""

from community.models import Space
from tests.community.conftest import seasoned
from tests.conftest import make_user


def make_member(email="member@example.org"):
    """A verified member old enough that new-member rate limits don't apply."""
    return seasoned(make_user(email, first_name="Mira", last_name="Member"))


def make_public_space(slug="open"):
    return Space.objects.create(
        name="Community of practice", slug=slug, visibility=Space.Visibility.PUBLIC
    )


def make_api_data():
    """One of each thing the API serves, public and private: spaces and a thread
    with posts, a catalogue entry, an event and a framework with a document.
    Returns the member who belongs to the working group."""
    from datetime import timedelta

    from django.utils import timezone

    from community import services
    from community.models import WorkingGroup
    from events.models import EventIndexPage, EventPage
    from frameworks import seed as frameworks_seed
    from tests.credentials.factories import make_credential
    from tests.frameworks.conftest import make_document, make_framework

    member = make_member()
    group = WorkingGroup.objects.create(name="Working group", slug="wg")
    services.add_member(working_group=group, user=member)
    public = make_public_space()
    Space.objects.create(
        name="Members lounge", slug="lounge", visibility=Space.Visibility.MEMBERS
    )
    private = Space.objects.create(
        name="Drafts",
        slug="drafts",
        visibility=Space.Visibility.WORKING_GROUP,
        working_group=group,
    )
    for space in (public, private):
        thread = services.create_thread(
            author=member, space=space, title="Pathways", body="**First**"
        )
        services.reply(author=member, thread=thread, body="A reply")
    make_credential("Data Analytics Foundations", skills=["SQL"])
    make_credential("Draft entry", status="draft")

    from cms.models import HomePage

    home = HomePage.default()
    index = EventIndexPage(title="Events", slug="events")
    home.add_child(instance=index)
    index.save_revision().publish()
    now = timezone.now().replace(second=0, microsecond=0)
    event = EventPage(
        title="Forum",
        slug="forum",
        start=now + timedelta(days=30),
        end=now + timedelta(days=30, hours=8),
        event_format=EventPage.Format.IN_PERSON,
        venue="Toronto Reference Library",
        capacity=5,
        registration_opens=now - timedelta(days=1),
        registration_closes=now + timedelta(days=20),
    )
    index.add_child(instance=event)
    event.save_revision().publish()
    make_framework(
        frameworks_seed.index_page(),
        "Assessment guide",
        documents=[make_document("Assessment guide PDF")],
    )
    return member
