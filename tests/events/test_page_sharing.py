"""What the event page shows (the agenda and speakers, the registration form)
changes at once, each visitor gets their own token, and drafts never leak."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from events.models import AgendaSession, EventPage, Registration, Speaker
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _add_session(event, title, speakers=()):
    session = AgendaSession(title=title, start=event.start)
    session.speakers = list(speakers)
    event.sessions.add(session)
    return session


def test_a_speaker_edit_shows_at_once_on_the_event_page(client, event):
    ada = Speaker.objects.create(name="Ada Speaker", organisation="A College")
    event.speakers.add(ada)
    _add_session(event, "Opening keynote", [ada])
    event.save_revision().publish()
    assert "Ada Speaker" in client.get(event.url).content.decode()

    ada.name = "Ada Lovelace-Speaker"
    ada.save()

    html = client.get(event.url).content.decode()
    assert "Ada Lovelace-Speaker" in html and "Ada Speaker<" not in html


def test_a_published_agenda_change_shows_at_once(client, event):
    _add_session(event, "Opening keynote")
    event.save_revision().publish()
    assert "Opening keynote" in client.get(event.url).content.decode()

    event = EventPage.objects.get(pk=event.pk)
    _add_session(event, "Closing panel")
    event.save_revision().publish()

    html = client.get(event.url).content.decode()
    assert "Opening keynote" in html and "Closing panel" in html


def test_a_previewed_draft_agenda_never_reaches_visitors(client, event):
    _add_session(event, "Opening keynote")
    event.save_revision().publish()
    draft = EventPage.objects.get(pk=event.pk)
    _add_session(draft, "Secret draft session")
    draft.save_revision()

    preview = draft.make_preview_request()
    assert "Secret draft session" in preview.content.decode()

    html = client.get(event.url).content.decode()
    assert "Opening keynote" in html and "Secret draft session" not in html


def _token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_each_guest_registers_with_the_token_of_their_own_page(event):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get(event.url).content.decode()
    served = second.get(event.url)
    # Without Varnish's ESI the token is in the page: the page is theirs alone.
    assert "no-store" in served["Cache-Control"]
    second_page = served.content.decode()
    assert "Full name" in second_page and "Privacy notice" in second_page
    assert _token(first_page) != _token(second_page)

    for guest, page, name in ((second, second_page, "Sam"), (first, first_page, "Fay")):
        response = guest.post(
            event.url + "register/",
            {
                "csrfmiddlewaretoken": _token(page),
                "name": name,
                "email": f"{name.lower()}@example.org",
                "privacy": "on",
            },
        )
        assert response.status_code == 200
        assert "Check your email" in response.content.decode()
    assert Registration.objects.filter(status="pending").count() == 2


def test_the_blank_form_follows_the_state_of_the_event(client, make_event, member):
    event = make_event(capacity=1)
    assert ">Register</button>" in client.get(event.url).content.decode()

    Registration.objects.create(
        event=event, name="First", email="first@example.org", status="confirmed"
    )

    html = client.get(event.url).content.decode()
    assert ">Join the waitlist</button>" in html and ">Register</button>" not in html


def test_each_member_finds_their_own_name_in_the_form(client, event):
    ada = make_user("ada@example.org", first_name='Ada "A+"', last_name="<Lovelace>")
    bob = make_user("bob@example.org", first_name="Bob", last_name="O'Brien")
    assert 'name="email"' in client.get(event.url).content.decode()

    client.force_login(ada)
    ada_page = client.get(event.url).content.decode()
    client.force_login(bob)
    bob_page = client.get(event.url).content.decode()

    assert 'value="Ada &quot;A+&quot; &lt;Lovelace&gt;"' in ada_page
    assert 'value="Bob O&#x27;Brien"' in bob_page
    assert "Ada" not in bob_page and "Bob" not in ada_page
    assert 'name="email"' not in ada_page + bob_page


def test_an_agenda_of_many_sessions_keeps_its_speakers(client, event):
    speakers = [Speaker.objects.create(name=f"Speaker {n}") for n in range(3)]
    for number in range(3):
        _add_session(event, f"Session {number}", speakers[number:] + speakers[:number])
    event.start = event.start - timedelta(minutes=1)
    event.save_revision().publish()
    first = client.get(event.url).content.decode()
    second = client.get(event.url).content.decode()
    assert second.count("Speaker 0, Speaker 1, Speaker 2") == 3
    assert first.count('<th scope="row"') == second.count('<th scope="row"') == 3


def test_nothing_of_a_private_event_is_kept_publicly(client, event, member):
    from wagtail.models import PageViewRestriction

    _add_session(event, "Closed-door strategy session")
    event.save_revision().publish()
    PageViewRestriction.objects.create(
        page=event, restriction_type=PageViewRestriction.LOGIN
    )
    client.force_login(member)
    response = client.get(event.url)
    assert "Closed-door strategy session" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "xkey" not in response
    outsider = Client().get(event.url)
    assert outsider.status_code == 302
    assert "no-store" in outsider["Cache-Control"] and "xkey" not in outsider
