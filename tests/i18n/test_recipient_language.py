"""Emails are written in their recipient's language, stored where they left
it, even when a task sends them later with no request (issue 21)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from icalendar import Calendar
from wagtail.contrib.forms.models import FormSubmission

from community import services as community
from community.models import Profile, Space
from events import services as events
from events.models import EventPage, Registration
from tests.conftest import PASSWORD, make_user

from .bilingual import bilingual_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(french_site):
    """An open forum in English and its French translation."""
    return bilingual_event("Annual Forum", "Forum annuel", "annual-forum", "forum")


def run_later_in_english(callbacks):
    """Run what was queued the way the worker does: with no request, in the
    site's default language."""
    translation.activate("en")
    for callback in callbacks:
        callback()


def path_of(url):
    return "/" + url.split("/", 3)[3]


def test_a_french_guest_gets_the_confirmation_in_french_with_french_links(
    client, forum, django_capture_on_commit_callbacks
):
    english, french = forum
    assert french.url.startswith("/fr/")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            french.url + "register/",
            {"name": "Josée Tremblay", "email": "josee@example.org", "privacy": "on"},
        )
    assert response.status_code == 200
    assert "Consultez vos courriels" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.language == "fr"
    run_later_in_english(callbacks)

    (message,) = mail.outbox
    assert message.subject == "Confirmez votre inscription à Forum annuel"
    assert "Bonjour Josée Tremblay," in message.body
    assert "Veuillez confirmer votre adresse courriel" in message.body
    assert "Please confirm" not in message.body
    links = re.findall(r"http://\S+", message.body)
    assert links and all("/fr/" in link for link in links), links
    confirm = next(link for link in links if "/confirm/" in link)
    # The link opens the French confirmation page, and confirming takes the
    # seat: the next email (with its calendar file) is French too.
    page = client.get(path_of(confirm))
    assert page.status_code == 200
    assert "Confirmer mon inscription" in page.content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(path_of(confirm))
    assert response["Location"].startswith("/fr/registrations/manage/")
    run_later_in_english(callbacks)
    seated = mail.outbox[-1]
    assert seated.subject == "Vous êtes inscrite ou inscrit à Forum annuel"
    assert "Participer en ligne" in seated.body
    (attachment,) = seated.attachments
    calendar = Calendar.from_ical(attachment[1])
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Forum annuel"
    assert vevent["summary"].params["LANGUAGE"] == "fr"
    assert "Participer en ligne" in str(vevent["description"])
    assert str(vevent["url"]).endswith(french.url)


def test_an_english_guest_stays_english(
    client, forum, django_capture_on_commit_callbacks
):
    english, _french = forum
    translation.activate("fr")  # whatever the worker's language is
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(
            english.url + "register/",
            {"name": "Gil Guest", "email": "gil@example.org", "privacy": "on"},
        )
    assert Registration.objects.get().language == "en"
    translation.activate("fr")
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.subject == "Confirm your registration for Annual Forum"
    assert "Please confirm your email address" in message.body
    assert "/fr/" not in message.body


def test_waitlist_and_promotion_are_sent_in_each_registrations_language(
    forum, django_capture_on_commit_callbacks
):
    english, french = forum
    EventPage.objects.filter(pk=english.pk).update(capacity=1)
    english.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        seated = events.register(
            event=english,
            name="Ann Seated",
            email="ann@example.org",
            email_verified=True,
            language="en",
        )
        events.register(
            event=english,
            name="Luc Attente",
            email="luc@example.org",
            email_verified=True,
            language="fr",
        )
    waitlisted = mail.outbox[-1]
    assert waitlisted.to == ["luc@example.org"]
    assert waitlisted.subject == "Vous êtes sur la liste d'attente de Forum annuel"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        events.cancel(registration=seated)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["ann@example.org"].subject.startswith("Your registration")
    promoted = by_address["luc@example.org"]
    assert promoted.subject == "Une place est à vous : Forum annuel"
    assert french.url in promoted.body


def test_staff_message_to_attendees_ends_in_each_attendees_language(
    forum, django_capture_on_commit_callbacks, staff
):
    english, _french = forum
    for email, language in [("en@example.org", "en"), ("fr@example.org", "fr")]:
        events.register(
            event=english,
            name=email,
            email=email,
            email_verified=True,
            language=language,
        )
    with django_capture_on_commit_callbacks(execute=True):
        events.email_attendees(
            event=english, subject="Room change", body="Room 2B.", actor=staff
        )
    by_address = {m.to[0]: m for m in mail.outbox if m.subject == "Room change"}
    assert "because you are registered for Annual Forum" in (
        by_address["en@example.org"].body
    )
    french = by_address["fr@example.org"].body
    assert french.startswith("Room 2B.")
    assert "parce que vous êtes inscrite ou inscrit à Forum annuel" in french
    assert "/fr/registrations/manage/" in french


@pytest.fixture
def space(db):
    return Space.objects.create(
        name="Community of practice", slug="open", visibility=Space.Visibility.PUBLIC
    )


def _seasoned(user):
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


def test_a_member_who_reads_french_is_notified_in_french_of_an_english_post(
    client, settings, space, home_page, django_capture_on_commit_callbacks
):
    settings.COMMUNITY_NOTIFICATION_INTERVAL = 0
    francophone = _seasoned(make_user("flore@example.org", first_name="Flore"))
    _seasoned(make_user("ed@example.org", first_name="Ed"))
    author = _seasoned(make_user("omar@example.org", first_name="Omar"))
    Profile.objects.filter(user=francophone).update(language="fr")
    thread = community.create_thread(
        author=author, space=space, title="Rubrics", body="Ideas?"
    )
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        # Written from the English page.
        response = client.post(
            thread.get_absolute_url(),
            {"body": "What do you think, @flore and @ed?"},
        )
    assert response.status_code == 302
    by_address = {m.to[0]: m for m in mail.outbox}
    french = by_address["flore@example.org"]
    assert french.subject == "[Microcertification] Omar vous a mentionné : Rubrics"
    assert "Lire et répondre" in french.body
    assert f"{settings.SITE_URL}/fr/community/posts/" in french.body
    assert "/fr/community/unsubscribe/" in french.body
    html = french.alternatives[0][0]
    assert '<html lang="fr">' in html
    assert french.extra_headers["Content-Language"] == "fr"
    english = by_address["ed@example.org"]
    assert english.subject == "[Micro-certification] Omar mentioned you: Rubrics"
    assert "Read and reply" in english.body
    assert "/fr/" not in english.body


def test_the_daily_digest_is_in_the_members_language(
    settings, space, home_page, django_capture_on_commit_callbacks
):
    from community.tasks import send_digests

    reader = _seasoned(make_user("flore@example.org", first_name="Flore"))
    author = _seasoned(make_user("omar@example.org", first_name="Omar"))
    Profile.objects.filter(user=reader).update(language="fr", email_preference="digest")
    thread = community.create_thread(
        author=author, space=space, title="Rubrics", body="Ideas?"
    )
    with django_capture_on_commit_callbacks(execute=True):
        community.reply(author=author, thread=thread, body="Hello @flore")
    mail.outbox.clear()
    send_digests.call()
    (digest,) = mail.outbox
    assert digest.subject == (
        "[Microcertification] Votre résumé quotidien de la communauté"
    )
    assert "/fr/community/posts/" in digest.body


def test_sign_up_on_a_french_page_sets_french_and_the_member_can_change_it(
    client, french_site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/fr/accounts/signup/",
            {
                "email": "ada@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "display_name": "Ada Lovelace",
            },
        )
    assert response.status_code == 302
    profile = Profile.objects.get(user__email="ada@example.org")
    assert profile.language == "fr"
    # allauth's own confirmation email is in the page's language too.
    assert mail.outbox[-1].subject.startswith("[Microcertification] ")

    client.force_login(profile.user)
    html = client.get("/fr/community/profile/").content.decode()
    assert "Langue des courriels" in html
    assert '<span lang="en">English</span>' in html
    response = client.post(
        "/fr/community/profile/",
        {
            "display_name": "Ada Lovelace",
            "visibility": "members",
            "email_preference": "immediate",
            "language": "en",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.language == "en"


def test_a_member_who_signs_up_in_english_reads_english(client, home_page):
    client.post(
        "/accounts/signup/",
        {
            "email": "ada@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Ada Lovelace",
        },
    )
    assert Profile.objects.get(user__email="ada@example.org").language == "en"


def test_invitations_and_membership_requests_follow_the_readers_language(
    settings, home_page, django_capture_on_commit_callbacks
):
    from community.models import WorkingGroup

    group = WorkingGroup.objects.create(name="Working Group", slug="wg")
    chair = _seasoned(make_user("chair@example.org", first_name="Chantal"))
    community.add_member(working_group=group, user=chair, chair=True)
    Profile.objects.filter(user=chair).update(language="fr")
    newcomer = _seasoned(make_user("new@example.org", first_name="Nina"))
    with django_capture_on_commit_callbacks(execute=True):
        community.request_membership(user=newcomer, working_group=group)
    (request,) = mail.outbox
    assert request.to == ["chair@example.org"]
    assert request.subject == (
        "[Microcertification] Nina demande à se joindre au Working Group"
    )
    assert "/fr/community/groups/wg/" in request.body
    mail.outbox.clear()

    # Invited from a French page, to an address with no account: French.
    translation.activate("fr")
    with django_capture_on_commit_callbacks() as callbacks:
        community.invite(inviter=chair, working_group=group, email="x@example.org")
    run_later_in_english(callbacks)
    (invitation,) = mail.outbox
    assert invitation.subject == (
        "[Microcertification] Invitation à vous joindre au Working Group"
    )
    assert "/fr/community/invitations/" in invitation.body
    mail.outbox.clear()
    # An address with an account reads its own language, wherever invited from.
    translation.activate("fr")
    with django_capture_on_commit_callbacks() as callbacks:
        community.invite(inviter=chair, working_group=group, email=newcomer.email)
    run_later_in_english(callbacks)
    (invitation,) = mail.outbox
    assert (
        invitation.subject
        == "[Micro-certification] Invitation to join the Working Group"
    )


def test_a_contact_message_keeps_its_language_for_the_coordinator(
    client, french_site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/fr/nous-joindre/",
            {
                "your_name": "Josée Tremblay",
                "your_email": "josee@example.org",
                "organisation": "Collège Boréal",
                "message": "Comment notre collège peut-il se joindre au groupe?",
                "website": "",
            },
        )
    assert response.status_code == 200
    submission = FormSubmission.objects.get()
    assert submission.get_data()["language"] == "fr"
    (message,) = mail.outbox
    assert "Langue\u00a0: Français" in message.body
    # A column of the submissions listing and export.
    with translation.override("en"):
        columns = [
            (name, str(label))
            for name, label in submission.page.specific.get_data_fields()
        ]
    assert ("language", "Language") in columns


def test_an_english_contact_message_is_marked_english(
    client, home_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/contact/",
            {
                "your_name": "Priya Patel",
                "your_email": "priya@example.com",
                "organisation": "Seneca Polytechnic",
                "message": "How can our college join?",
                "website": "",
            },
        )
    assert FormSubmission.objects.get().get_data()["language"] == "en"
    assert "Language: English" in mail.outbox[0].body
