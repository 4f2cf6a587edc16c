import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from openpyxl import load_workbook

from events import services
from events.models import Registration

from ..conftest import make_user

pytestmark = pytest.mark.django_db


def seat(event, n, **extra):
    return services.register(
        event=event,
        name=f"Person {n}",
        email=f"person{n}@example.org",
        email_verified=True,
        **extra,
    )


@pytest.fixture
def staff_client(client, staff_with_mfa):
    client.force_login(staff_with_mfa)
    return client


def admin_urls(event):
    base = f"/admin/registrations/{event.pk}/"
    return [
        "/admin/registrations/",
        base,
        base + "export.csv",
        base + "export.xlsx",
        base + "check-in/",
        base + "email/",
    ]


def test_outsiders_cannot_reach_registrations_exports_or_check_in(client, event, user):
    seat(event, 1)
    for url in admin_urls(event):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response["Location"]
        assert b"person1@example.org" not in response.content
    client.force_login(user)
    for url in admin_urls(event):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"person1@example.org" not in response.content


def test_admin_users_who_are_not_staff_are_refused(client, event):
    """A working-group editor can open the admin but not attendees' data."""
    editor = make_user("editor@example.org")
    group = Group.objects.create(name="Working group editors (test)")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    seat(event, 1)
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    for url in admin_urls(event):
        response = client.get(url)
        # Wagtail turns the refusal into a redirect to the dashboard.
        assert (response.status_code, response.get("Location")) == (302, "/admin/")
        assert b"person1@example.org" not in response.content
    registration = Registration.objects.get()
    response = client.post(f"/admin/registrations/{event.pk}/{registration.pk}/cancel/")
    assert (response.status_code, response.get("Location")) == (302, "/admin/")
    assert "/admin/registrations/" not in client.get("/admin/").content.decode()
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_staff_see_counts_and_search_attendees(staff_client, make_event):
    assert "/admin/registrations/" in staff_client.get("/admin/").content.decode()
    event = make_event(capacity=2)
    seat(event, 1, organisation="Acme College")
    seat(event, 2)
    seat(event, 3)
    services.cancel(registration=seat(event, 4))
    response = staff_client.get(f"/admin/registrations/{event.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-count="capacity">2<' in html
    assert 'data-count="confirmed">2<' in html
    assert 'data-count="waitlisted">1<' in html
    assert 'data-count="cancelled">1<' in html
    html = staff_client.get(f"/admin/registrations/{event.pk}/?q=acme").content.decode()
    assert "person1@example.org" in html
    assert "person2@example.org" not in html
    html = staff_client.get(
        f"/admin/registrations/{event.pk}/?status=waitlisted"
    ).content.decode()
    assert "person3@example.org" in html and "person1@example.org" not in html


def test_csv_export_contents(staff_client, event):
    seat(event, 1, organisation="Acme", sector="industry", dietary="Vegan")
    seat(event, 2, organisation='=HYPERLINK("http://evil")')
    response = staff_client.get(f"/admin/registrations/{event.pk}/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Name", "Email", "Organisation"]
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email["person1@example.org"][2] == "Acme"
    assert by_email["person1@example.org"][3] == "Industry"
    assert by_email["person1@example.org"][5] == "Confirmed"
    assert by_email["person1@example.org"][8] == "Vegan"
    code = Registration.objects.get(email="person1@example.org").code
    assert by_email["person1@example.org"][6] == code
    # Cells that a spreadsheet would run as formulas are neutralised.
    assert by_email["person2@example.org"][2].startswith("'=")


def test_xlsx_export_contents(staff_client, make_event):
    event = make_event(capacity=1)
    seat(event, 1, organisation="Acme")
    seat(event, 2)
    response = staff_client.get(f"/admin/registrations/{event.pk}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Name"
    assert len(rows) == 3
    statuses = {row[1]: row[5] for row in rows[1:]}
    assert statuses == {
        "person1@example.org": "Confirmed",
        "person2@example.org": "Waitlisted",
    }


def test_check_in_by_code_and_by_name(staff_client, event):
    first = seat(event, 1)
    second = seat(event, 2)
    url = f"/admin/registrations/{event.pk}/check-in/"
    response = staff_client.post(url, {"code": first.code.lower()}, follow=True)
    assert "Person 1 is checked in" in response.content.decode()
    first.refresh_from_db()
    assert first.checked_in_at is not None
    html = staff_client.get(url + "?q=Person 2").content.decode()
    assert "Check in Person 2" in html
    staff_client.post(url + "?q=Person 2", {"code": second.code})
    second.refresh_from_db()
    assert second.checked_in_at is not None
    response = staff_client.post(url, {"code": "WRONG123"}, follow=True)
    assert "No registration for this event has that code" in response.content.decode()


def test_staff_cancel_and_promote_by_hand(
    staff_client, make_event, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1, waitlist_auto_promote=False)
    seated = seat(event, 1)
    second = seat(event, 2)
    third = seat(event, 3)
    base = f"/admin/registrations/{event.pk}/"
    response = staff_client.post(f"{base}{third.pk}/promote/", follow=True)
    assert "No seat is free" in response.content.decode()
    staff_client.post(f"{base}{seated.pk}/cancel/")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"{base}{third.pk}/promote/")
    third.refresh_from_db()
    second.refresh_from_db()
    seated.refresh_from_db()
    assert (seated.status, second.status, third.status) == (
        "cancelled",
        "waitlisted",
        "confirmed",
    )
    assert [m.to for m in mail.outbox] == [["person3@example.org"]]


def test_staff_email_all_confirmed_attendees(
    staff_client, make_event, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2)
    seat(event, 1)
    seat(event, 2)
    seat(event, 3)  # waitlisted: not emailed
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/registrations/{event.pk}/email/",
            {"subject": "Room change", "body": "We moved to room B."},
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "person1@example.org",
        "person2@example.org",
    ]
    assert all(m.subject == "Room change" for m in mail.outbox)


def test_staff_email_form_rejects_empty_message(staff_client, event):
    seat(event, 1)
    response = staff_client.post(
        f"/admin/registrations/{event.pk}/email/", {"subject": "", "body": ""}
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert mail.outbox == []


def test_staff_can_open_the_event_webinar_and_speaker_editors(staff_client, home_page):
    import io as _io

    from events import seed as events_seed
    from events.models import EventIndexPage, EventPage, WebinarPage

    events_seed.seed(_io.StringIO())
    forum = EventPage.objects.get()
    webinar = WebinarPage.objects.get()
    index = EventIndexPage.objects.get()
    for url in [
        f"/admin/pages/{forum.pk}/edit/",
        f"/admin/pages/{webinar.pk}/edit/",
        f"/admin/pages/add/events/eventpage/{index.pk}/",
        "/admin/snippets/events/speaker/",
    ]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
    html = staff_client.get(f"/admin/pages/{forum.pk}/edit/").content.decode()
    assert "Welcome and opening remarks" in html  # the agenda inline
    assert "online joining link" in html.lower()
