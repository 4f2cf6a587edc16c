"""No member's registration is ever handed to anyone else, nor kept publicly.

An event page shows a signed-in member their own registration (status, the
secret link to manage it). Whichever order people arrive in, the next visitor
must see the public page only.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(home_page):
    from events.models import EventIndexPage, EventPage

    index = EventIndexPage(title="Events", slug="events", show_in_menus=True)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    now = timezone.now().replace(second=0, microsecond=0)
    event = EventPage(
        title="Micro-Certification Forum",
        slug="forum",
        start=now + timedelta(days=30),
        end=now + timedelta(days=30, hours=8),
        venue="Toronto Reference Library",
        capacity=50,
        # Registration has closed: the public page has no form, so it is public.
        registration_opens=now - timedelta(days=20),
        registration_closes=now - timedelta(days=1),
    )
    index.add_child(instance=event)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


@pytest.fixture
def registration(event, member):
    from events.models import Registration

    return Registration.objects.create(
        event=event,
        user=member,
        name="Mira Member",
        email=member.email,
        status=Registration.Status.CONFIRMED,
        confirmed_at=timezone.now(),
    )


def _html(response):
    return response.content.decode()


def test_public_event_page_may_be_kept_for_anonymous_visitors(client, event):
    response = client.get(event.url)
    assert "Micro-Certification Forum" in _html(response)
    assert "public" in response["Cache-Control"]
    tags = set(response["xkey"].split())
    assert {"all", "pages", f"page-{event.pk}", "events", f"event-{event.pk}"} <= tags


def test_members_registration_is_never_shown_to_the_next_visitor(
    client, event, registration, member
):
    client.force_login(member)
    members_page = client.get(event.url)
    assert "You are registered" in _html(members_page)
    assert "private" in members_page["Cache-Control"]
    assert "no-store" in members_page["Cache-Control"]

    for _ in range(2):
        html = _html(Client().get(event.url))
        assert "You are registered" not in html
        assert registration.manage_token() not in html
        assert "Mira" not in html


def test_each_member_sees_only_their_own_registration(
    client, event, registration, member, other_member
):
    client.force_login(member)
    assert "You are registered" in _html(client.get(event.url))

    other = Client()
    other.force_login(other_member)
    html = _html(other.get(event.url))
    assert "You are registered" not in html
    assert registration.manage_token() not in html


def test_my_registrations_stay_private(client, event, registration, member):
    client.force_login(member)
    mine = client.get("/registrations/")
    assert mine.status_code == 200
    assert "Micro-Certification Forum" in _html(mine)
    assert "no-store" in mine["Cache-Control"]

    for _ in range(2):
        response = Client().get("/registrations/")
        assert response.status_code == 302
        assert "Micro-Certification Forum" not in _html(response)
