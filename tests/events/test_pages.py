import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import Locale, Page

from events import services
from events.models import AgendaSession, Registration, Speaker

pytestmark = pytest.mark.django_db

JOIN = "secret-join-room-42"


def seat(event, n):
    return services.register(
        event=event, name=f"P {n}", email=f"p{n}@example.org", email_verified=True
    )


def test_seats_left_on_the_listing_follow_registrations(client, make_event):
    event = make_event(capacity=1)
    assert "Registration open" in client.get("/events/").content.decode()
    seat(event, 1)
    html = client.get("/events/").content.decode()
    assert "Waitlist only" in html and "Registration open" not in html


def test_events_index_lists_upcoming_and_past_with_their_state(client, make_event):
    upcoming = make_event(title="Forum Next")
    full = make_event(title="Full Forum", capacity=1)
    seat(full, 1)
    now = timezone.now()
    make_event(
        title="Forum Gone",
        start=now - timedelta(days=400),
        end=now - timedelta(days=399),
        registration_opens=None,
        registration_closes=None,
    )
    html = client.get("/events/").content.decode()
    upcoming_part, past_part = html.split('id="past-heading"')
    assert upcoming.title in upcoming_part
    assert "Registration open" in upcoming_part
    assert "Waitlist only" in upcoming_part
    assert "Forum Gone" in past_part
    assert "Forum Gone" not in upcoming_part
    assert JOIN not in html


def test_event_page_shows_agenda_speakers_venue_and_state(client, event):
    ada = Speaker.objects.create(
        name="Ada Speaker", title="Dean", organisation="A College", bio="<p>Bio</p>"
    )
    event.speakers.add(ada)
    event.save()
    session = AgendaSession.objects.create(
        event=event,
        title="Opening keynote",
        start=event.start,
        end=event.start + timedelta(hours=1),
        room="Stream A",
        track="Plenary",
    )
    session.speakers.add(ada)
    session.save()
    html = client.get(event.url).content.decode()
    assert "Opening keynote" in html
    assert "Stream A" in html and "Plenary" in html
    assert "Ada Speaker" in html and "Dean, A College" in html
    assert "Toronto Reference Library" in html
    assert "Registration open" in html
    assert "5 seats left" in html
    assert "Privacy notice" in html
    assert JOIN not in html


def test_event_times_are_shown_in_toronto_time(client, make_event):
    from datetime import UTC, datetime

    event = make_event(
        start=datetime(2031, 5, 14, 13, 0, tzinfo=UTC),
        end=datetime(2031, 5, 14, 21, 0, tzinfo=UTC),
    )
    html = client.get(event.url).content.decode()
    assert 'datetime="2031-05-14T09:00:00-04:00"' in html
    assert "9 a.m." in html
    assert "Toronto time" in html


def test_joining_link_only_for_confirmed_registrants_on_the_page(
    client, make_event, user, other_member
):
    event = make_event(capacity=1)
    services.register(
        event=event, user=user, name="Mira", email=user.email, email_verified=True
    )
    services.register(
        event=event,
        user=other_member,
        name="Omar",
        email=other_member.email,
        email_verified=True,
    )
    assert JOIN not in client.get(event.url).content.decode()
    client.force_login(other_member)  # waitlisted
    html = client.get(event.url).content.decode()
    assert "waitlist" in html and JOIN not in html
    client.force_login(user)
    html = client.get(event.url).content.decode()
    assert "Your seat is confirmed" in html and JOIN in html


def test_event_ics_parses_and_carries_the_right_times(client, event):
    response = client.get(event.url + "calendar/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("dtstart") == event.start
    assert vevent.decoded("dtend") == event.end
    assert str(vevent["summary"]) == event.title
    assert JOIN not in response.content.decode()


def test_feed_lists_upcoming_events_without_joining_links(client, make_event):
    upcoming = make_event(title="Next Forum")
    now = timezone.now()
    make_event(
        title="Old Forum",
        start=now - timedelta(days=10),
        end=now - timedelta(days=9),
        registration_opens=None,
        registration_closes=None,
    )
    response = client.get("/events/feed.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [upcoming.title]
    assert events[0].decoded("dtstart") == upcoming.start
    assert JOIN not in response.content.decode()


def test_personal_ics_has_joining_link_only_once_confirmed(client, make_event):
    event = make_event(capacity=1)
    confirmed = seat(event, 1)
    waitlisted = seat(event, 2)
    body = client.get(
        f"/registrations/manage/{confirmed.manage_token()}/event.ics"
    ).content.decode()
    Calendar.from_ical(body)
    assert JOIN in body.replace("\r\n ", "")
    body = client.get(
        f"/registrations/manage/{waitlisted.manage_token()}/event.ics"
    ).content.decode()
    assert JOIN not in body.replace("\r\n ", "")


def test_search_finds_events_but_never_the_joining_link(event):
    assert list(Page.objects.live().search(event.title))
    assert not list(Page.objects.live().search(JOIN))
    assert not list(Page.objects.live().search("meet.example.org"))


def test_member_registers_in_one_step(
    client, event, user, django_capture_on_commit_callbacks
):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            event.url + "register/",
            {"name": "Mira Member", "sector": "industry", "privacy": "on"},
        )
    registration = Registration.objects.get(event=event)
    assert response.status_code == 302
    assert response["Location"] == registration.get_manage_url()
    assert registration.status == "confirmed"
    assert registration.user == user
    assert registration.email == user.email
    assert registration.sector == "industry"
    html = client.get(response["Location"]).content.decode()
    assert "Your seat is confirmed" in html
    assert registration.code in html
    assert JOIN in html
    assert mail.outbox[0].to == [user.email]


def test_registration_form_errors_change_nothing(client, event):
    response = client.post(
        event.url + "register/", {"name": "", "email": "not-an-email"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Please agree to the privacy notice" in html
    assert Registration.objects.count() == 0


def test_guest_confirms_by_emailed_link(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            event.url + "register/",
            {
                "name": "Gil Guest",
                "email": "gil@example.org",
                "organisation": "Employer Inc.",
                "dietary": "Vegetarian",
                "privacy": "on",
            },
        )
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == "pending"
    link = re.search(r"http://\S+/registrations/confirm/\S+/", mail.outbox[0].body)
    path = "/" + link.group(0).split("/", 3)[3]
    page = client.get(path)
    assert "Confirm my registration" in page.content.decode()
    registration.refresh_from_db()
    assert (
        registration.status == "pending"
    )  # a GET (e.g. a mail scanner) changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert response["Location"] == registration.get_manage_url()
    assert "You are registered" in mail.outbox[-1].subject


def test_tampered_links_are_refused(client, event):
    registration = seat(event, 1)
    token = registration.manage_token()
    assert client.get(f"/registrations/manage/{token}x/").status_code == 404
    assert client.get("/registrations/confirm/garbage/").status_code == 404
    assert client.post(f"/registrations/manage/{token[:-2]}/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def _guest_post(client, event, email, name="Again", **extra):
    return client.post(
        event.url + "register/",
        {"name": name, "email": email, "privacy": "on"},
        **extra,
    )


def _answer(response):
    """The page a guest sees, without the CSRF token (new in every response)."""
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_the_guest_form_answers_the_same_for_a_registered_address(
    client, event, django_capture_on_commit_callbacks
):
    seat(event, 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registered = _guest_post(client, event, "P1@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        new = _guest_post(client, event, "p1@example.org".replace("p1", "p2"))

    assert registered.status_code == new.status_code == 200
    assert _answer(registered) == _answer(new).replace("p2@", "p1@")
    assert "already registered" not in _answer(registered).replace(
        "If this address is already registered, the email says so instead.", ""
    )
    # The owner of the registered address hears of it; nothing changed.
    owner_mail = [m for m in mail.outbox if m.to == ["p1@example.org"]]
    assert len(owner_mail) == 1
    assert "already registered" in owner_mail[0].subject
    assert "/registrations/manage/" in owner_mail[0].body
    assert Registration.objects.filter(email="p1@example.org").count() == 1
    assert Registration.objects.get(email="p1@example.org").status == "confirmed"


def test_the_guest_form_answers_the_same_for_a_pending_address(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _guest_post(client, event, "gil@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        again = _guest_post(client, event, "gil@example.org")
    assert first.status_code == again.status_code == 200
    assert _answer(first) == _answer(again)
    assert [m.subject for m in mail.outbox] == [
        f"Confirm your registration for {event.title}"
    ] * 2
    assert Registration.objects.count() == 1


def test_one_client_cannot_flood_an_address_with_emails(
    client, event, django_capture_on_commit_callbacks
):
    seat(event, 1)
    mail.outbox.clear()
    responses = []
    for _number in range(26):
        with django_capture_on_commit_callbacks(execute=True):
            responses.append(_guest_post(client, event, "p1@example.org"))

    sent = [m for m in mail.outbox if m.to == ["p1@example.org"]]
    assert len(sent) == 3
    assert [r.status_code for r in responses[:3]] == [200] * 3
    last = responses[-1]
    assert last.status_code == 429
    assert "we sent nothing this time" in last.content.decode()
    # A new address is limited the same way: being limited tells nothing.
    for _number in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            new = _guest_post(client, event, "fresh@example.org", REMOTE_ADDR="1.2.3.4")
    assert new.status_code == 429
    assert len([m for m in mail.outbox if m.to == ["fresh@example.org"]]) == 3


def test_one_client_cannot_send_emails_to_many_addresses(
    client, event, django_capture_on_commit_callbacks
):
    statuses = []
    for number in range(26):
        with django_capture_on_commit_callbacks(execute=True):
            statuses.append(
                _guest_post(client, event, f"guest{number}@example.org").status_code
            )
    assert statuses == [200] * 10 + [429] * 16
    assert len(mail.outbox) == 10
    assert Registration.objects.count() == 10
    # Another client is not held back by the first one's budget.
    other = _guest_post(client, event, "else@example.org", REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200


def test_a_member_registering_twice_changes_nothing(client, event, user):
    client.force_login(user)
    services.register(
        event=event, name="Me", email=user.email, user=user, email_verified=True
    )
    response = client.post(event.url + "register/", {"name": "Me", "privacy": "on"})
    assert response.status_code == 400
    assert Registration.objects.filter(user=user).count() == 1


def test_closed_and_not_yet_open_registration_show_no_form(client, make_event):
    now = timezone.now()
    closed = make_event(registration_closes=now - timedelta(hours=1))
    html = client.get(closed.url).content.decode()
    assert "Registration closed" in html
    assert 'action="' + closed.url + 'register/"' not in html
    response = client.post(
        closed.url + "register/",
        {"name": "Late", "email": "late@example.org", "privacy": "on"},
    )
    assert response.status_code == 400
    assert "Registration for this event is closed" in response.content.decode()
    later = make_event(registration_opens=now + timedelta(days=3))
    html = client.get(later.url).content.decode()
    assert "Registration not yet open" in html
    assert "Opens" in html
    assert Registration.objects.count() == 0


def test_member_sees_and_cancels_from_my_registrations(
    client, make_event, user, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    mine = services.register(
        event=event, user=user, name="Mira", email=user.email, email_verified=True
    )
    waiting = seat(event, 2)
    client.force_login(user)
    html = client.get("/registrations/").content.decode()
    assert event.title in html and "Confirmed" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/registrations/{mine.pk}/cancel/", follow=True)
    assert "is cancelled" in response.content.decode()
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == "cancelled"
    assert waiting.status == "confirmed"
    assert any(m.to == ["p2@example.org"] for m in mail.outbox)


def test_members_cannot_see_or_cancel_others_registrations(
    client, event, user, other_member
):
    theirs = services.register(
        event=event,
        user=other_member,
        name="Omar",
        email=other_member.email,
        email_verified=True,
    )
    client.force_login(user)
    assert "Omar" not in client.get("/registrations/").content.decode()
    assert client.post(f"/registrations/{theirs.pk}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "confirmed"


def test_my_registrations_needs_sign_in(client, db):
    response = client.get("/registrations/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# Pinned: a change that makes these lists cost more shows up here. The menu,
# breadcrumbs, an event's body, agenda and speakers are kept until a page
# changes (cms.fragments); tests/events/test_query_budget.py counts the cold
# request too (tests/budget.py lists what a page costs). The site, its root
# page and the page's translations (the language switcher) are kept too
# (cms.sites).
EVENT_INDEX_QUERIES = 6
EVENT_PAGE_QUERIES = 3


def _cards(response):
    return response.content.decode().count('class="card event-card"')


def test_event_index_query_count_is_the_same_for_5_and_50_events(
    client, make_event, django_assert_num_queries, settings
):
    for _ in range(5):
        seat(make_event(), _)
    # Warm the site root cache; twice, as the first request creates the site's
    # settings, which renews the page fragments (cms.fragments).
    client.get("/events/")
    client.get("/events/")
    with django_assert_num_queries(EVENT_INDEX_QUERIES):
        response = client.get("/events/")
    assert _cards(response) == 5
    for n in range(45):
        seat(make_event(), n)
    client.get("/events/")
    with django_assert_num_queries(EVENT_INDEX_QUERIES):
        response = client.get("/events/")
    assert _cards(response) == 50


def _grow_event(event, count):
    for n in range(count):
        speaker = Speaker.objects.create(name=f"Speaker {event.pk}-{n}")
        event.speakers.add(speaker)
        session = AgendaSession.objects.create(
            event=event,
            title=f"Session {n}",
            start=event.start + timedelta(minutes=n),
            room=f"Room {n}",
        )
        session.speakers.add(speaker)
        session.save()
        seat(event, f"{event.pk}-{n}")
    event.save()


def test_event_page_query_count_is_the_same_for_5_and_50_sessions(
    client, make_event, django_assert_num_queries, settings
):
    small = make_event(capacity=100)
    _grow_event(small, 5)
    large = make_event(capacity=100)
    _grow_event(large, 50)
    for event in (small, large):
        client.get(event.url)
    with django_assert_num_queries(EVENT_PAGE_QUERIES):
        response = client.get(small.url)
    assert response.content.decode().count('<th scope="row"') == 5
    with django_assert_num_queries(EVENT_PAGE_QUERIES):
        response = client.get(large.url)
    assert response.content.decode().count('<th scope="row"') == 50


def test_site_search_finds_the_event_but_never_its_joining_link(
    client, make_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(title="Assessment Summit", summary="A summit on assessment.")
    html = client.get("/search/", {"q": "Assessment Summit"}).content.decode()
    assert event.url in html
    for query in (JOIN, "meet.example.org"):
        html = client.get("/search/", {"q": query}).content.decode()
        # The query is echoed back; the event must not be found by its link.
        assert event.url not in html
        assert "Assessment Summit" not in html


def test_event_dates_follow_the_visitors_language(client, make_event):
    from datetime import UTC, datetime

    event = make_event(
        start=datetime(2031, 5, 14, 13, 0, tzinfo=UTC),
        end=datetime(2031, 5, 14, 21, 0, tzinfo=UTC),
    )
    # The page's language is its address's (issue 21): its French translation,
    # at /fr/…, shows French dates; a French browser on the English page
    # reads English ones.
    french_page = event.copy_for_translation(
        Locale.objects.get(language_code="fr"), copy_parents=True
    )
    french_page.save_revision().publish()
    english = client.get(event.url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    french = client.get(french_page.url).content.decode()
    assert french_page.url.startswith("/fr/")
    assert "May 14, 2031" in english
    assert "14 mai 2031" in french


def test_api_lists_upcoming_events_without_the_joining_link(client, make_event):
    event = make_event(capacity=3)
    seat(event, 1)
    draft = make_event(title="Draft forum")
    draft.unpublish()
    response = client.get("/api/v1/events")
    assert response.status_code == 200
    data = response.json()
    assert [item["title"] for item in data] == [event.title]
    assert data[0]["seats_left"] == 2
    assert data[0]["state"] == "open"
    assert data[0]["format"] == "hybrid"
    assert JOIN not in response.content.decode()
    detail = client.get(f"/api/v1/events/{event.pk}")
    assert detail.json()["ics_url"].endswith(event.url + "calendar/")
    assert JOIN not in detail.content.decode()
    assert client.get(f"/api/v1/events/{draft.pk}").status_code == 404


def test_expired_guest_link_takes_no_seat(client, event, monkeypatch):
    from events import signing as event_signing

    guest = services.register(event=event, name="Gil", email="gil@example.org")
    token = event_signing.confirm_token(guest)
    monkeypatch.setattr(event_signing, "CONFIRM_MAX_AGE", -1)
    response = client.post(f"/registrations/confirm/{token}/")
    assert response.status_code == 404
    assert "more than three days old" in response.content.decode()
    guest.refresh_from_db()
    assert guest.status == "pending"


def test_the_event_page_follows_seats_and_the_members_own_registration(
    client, make_event, user, other_member, settings, django_capture_on_commit_callbacks
):
    """Seats taken and the member's registration: every change shows at once."""
    event = make_event(capacity=1)
    client.force_login(user)
    assert "Registration open" in client.get(event.url).text
    assert "You are registered" not in client.get(event.url).text

    mine = services.register(
        event=event, user=user, name="Mira", email=user.email, email_verified=True
    )
    html = client.get(event.url).text
    assert "You are registered. Your seat is confirmed." in html
    # Another member sees the event full, not Mira's registration.
    other = type(client)()
    other.force_login(other_member)
    html = other.get(event.url).text
    assert "The event is full" in html and "You are registered" not in html

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration=mine)
    assert "You are registered" not in client.get(event.url).text
    assert "Registration open" in other.get(event.url).text
