"""Calendar files and feeds in each language, and a private page's French
translation as private as the page everywhere (issue 21)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import Locale, PageViewRestriction

from cms.models import StandardPage
from community.models import Space, Thread
from events.models import EventIndexPage, EventPage

from .bilingual import bilingual_event, event_index

pytestmark = pytest.mark.django_db

JOIN = "meet.example.org"


@pytest.fixture
def forum(french_site):
    return bilingual_event("Annual Forum", "Forum annuel", "annual-forum", "forum")


def summaries(response):
    calendar = Calendar.from_ical(response.content)
    return [str(vevent["summary"]) for vevent in calendar.walk("VEVENT")]


def test_the_events_calendar_feed_exists_in_each_language(client, forum):
    english, french = forum
    response = client.get("/fr/events/feed.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "Événements"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Forum annuel"
    assert vevent["summary"].params["LANGUAGE"] == "fr"
    assert "À propos de Forum annuel." in str(vevent["description"])
    assert str(vevent["url"]).endswith(french.url)
    assert JOIN not in response.content.decode()

    response = client.get("/events/feed.ics")
    assert summaries(response) == ["Annual Forum"]
    assert (
        Calendar.from_ical(response.content)
        .walk("VEVENT")[0]["summary"]
        .params["LANGUAGE"]
        == "en"
    )


def test_a_french_calendar_feed_without_a_french_index_is_the_english_one(
    client, french_site
):
    index, french_index = event_index()
    EventIndexPage.objects.get(pk=french_index.pk).unpublish()
    english = EventPage(
        title="English only",
        slug="english-only",
        start=datetime(2099, 1, 1, 10, tzinfo=UTC),
        end=datetime(2099, 1, 1, 12, tzinfo=UTC),
        venue="Toronto",
    )
    index.add_child(instance=english)
    english.save_revision().publish()
    response = client.get("/fr/events/feed.ics")
    assert response.status_code == 200
    assert summaries(response) == ["English only"]


def test_each_event_page_has_its_calendar_file_in_its_language(client, forum):
    english, french = forum
    response = client.get(french.url + "calendar/")
    assert response.status_code == 200
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["summary"]) == "Forum annuel"
    assert str(vevent["url"]).endswith("/fr/evenements/forum/")
    response = client.get(english.url + "calendar/")
    assert summaries(response) == ["Annual Forum"]


def test_the_personal_calendar_file_follows_the_address(client, forum):
    from events import services

    english, _french = forum
    registration = services.register(
        event=english,
        name="Luc",
        email="luc@example.org",
        email_verified=True,
        language="fr",
    )
    token = registration.manage_token()
    french = client.get(f"/fr/registrations/manage/{token}/event.ics")
    (vevent,) = Calendar.from_ical(french.content).walk("VEVENT")
    assert str(vevent["summary"]) == "Forum annuel"
    assert "Participer en ligne" in str(vevent["description"])
    english = client.get(f"/registrations/manage/{token}/event.ics")
    (vevent,) = Calendar.from_ical(english.content).walk("VEVENT")
    assert str(vevent["summary"]) == "Annual Forum"
    assert "Join online" in str(vevent["description"])


def test_community_feeds_say_their_language_and_link_its_pages(client, home_page):
    from community import services
    from tests.conftest import make_user

    space = Space.objects.create(
        name="Community of practice", slug="open", visibility=Space.Visibility.PUBLIC
    )
    author = make_user("omar@example.org", first_name="Omar")
    author.date_joined = timezone.now() - timedelta(days=30)
    author.save(update_fields=["date_joined"])
    services.create_thread(author=author, space=space, title="Rubrics", body="Hi")
    thread = Thread.objects.get()
    french = client.get("/fr/community/spaces/open/feed/").content.decode()
    assert 'xml:lang="fr"' in french
    assert f"/fr/community/threads/{thread.pk}/" in french
    english = client.get("/community/spaces/open/feed/").content.decode()
    assert 'xml:lang="en"' in english
    assert "/fr/" not in english


@pytest.fixture
def private_forum(forum, client):
    """The forum made private (members of a group) after it was translated."""
    english, french = forum
    restriction = PageViewRestriction.objects.create(
        page=english, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get_or_create(name="Organisers")[0]])
    return english, french


def test_a_translation_of_a_private_page_is_private_everywhere(
    client, private_forum, settings
):
    english, french = private_forum
    (copy,) = PageViewRestriction.objects.filter(page=french)
    assert copy.restriction_type == PageViewRestriction.GROUPS
    assert [g.name for g in copy.groups.all()] == ["Organisers"]

    # The page itself: sign in first.
    response = client.get(french.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert client.get(french.url + "calendar/").status_code == 302

    # The French calendar feed, site search, the sitemap and the API.
    assert "Forum annuel" not in client.get("/fr/events/feed.ics").content.decode()
    search = client.get("/fr/search/", {"q": "Forum annuel"})
    assert french.url not in search.content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert french.url not in sitemap and english.url not in sitemap
    listed = client.get("/api/v1/events", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert french.pk not in [event["id"] for event in listed]
    response = client.get(f"/api/v1/events/{french.pk}?lang=fr")
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable"}
    assert client.get(f"/api/v1/events/{english.pk}").status_code == 404


def test_making_the_original_public_makes_its_translations_public(
    client, private_forum, django_capture_on_commit_callbacks
):
    english, french = private_forum
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.filter(page=english).delete()
    assert not PageViewRestriction.objects.filter(page=french).exists()
    assert client.get(french.url).status_code == 200
    assert "Forum annuel" in client.get("/fr/events/feed.ics").content.decode()


def test_a_translation_cannot_be_made_public_alone(
    client, private_forum, django_capture_on_commit_callbacks
):
    english, french = private_forum
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.filter(page=french).delete()
    assert PageViewRestriction.objects.filter(page=french).exists()
    assert client.get(french.url).status_code == 302
    # Nor made less private: a password instead of the original's groups.
    copy = PageViewRestriction.objects.get(page=french)
    copy.restriction_type = PageViewRestriction.PASSWORD
    copy.password = "open sesame"  # noqa: S105
    copy.save()
    copy.refresh_from_db()
    assert copy.restriction_type == PageViewRestriction.GROUPS
    assert copy.password == ""


def test_changes_to_the_originals_privacy_reach_its_translations(private_forum):
    english, french = private_forum
    restriction = PageViewRestriction.objects.get(page=english)
    restriction.restriction_type = PageViewRestriction.LOGIN
    restriction.save()
    restriction.groups.clear()
    copy = PageViewRestriction.objects.get(page=french)
    assert copy.restriction_type == PageViewRestriction.LOGIN
    assert list(copy.groups.all()) == []


def test_a_private_section_keeps_its_french_pages_out_of_search_and_sitemap(
    client, french_site
):
    english = StandardPage.objects.get(slug="why-micro-certification-now")
    french = english.get_translation(Locale.objects.get(language_code="fr"))

    def found():
        response = client.get("/fr/search/", {"q": french.title})
        return {hit.title for hit in response.context["result"].groups["pages"]}

    assert french.title in found()
    PageViewRestriction.objects.create(
        page=english, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(french.url).status_code == 302
    sitemap = client.get("/sitemap.xml").content.decode()
    assert french.url not in sitemap
    assert french.title not in found()
    # A translation made private on its own leaves the original as it was.
    alone = StandardPage.objects.get(slug="confidentialite")
    PageViewRestriction.objects.create(
        page=alone, restriction_type=PageViewRestriction.LOGIN
    )
    original = alone.get_translation(english.locale)
    assert not PageViewRestriction.objects.filter(page=original).exists()
    assert re.search(r"/privacy/</loc>", client.get("/sitemap.xml").content.decode())


def test_the_api_lists_each_event_once_in_the_language_asked_for(client, forum):
    english, french = forum
    listed = client.get("/api/v1/events").json()
    assert [(event["id"], event["title"]) for event in listed] == [
        (english.pk, "Annual Forum")
    ]
    for asked in [{"lang": "fr"}, {"HTTP_ACCEPT_LANGUAGE": "fr-CA"}]:
        query = {"lang": asked["lang"]} if "lang" in asked else {}
        headers = {k: v for k, v in asked.items() if k != "lang"}
        listed = client.get("/api/v1/events", query, **headers).json()
        assert [(event["id"], event["title"]) for event in listed] == [
            (french.pk, "Forum annuel")
        ]
        assert listed[0]["url"].endswith(french.url)


def test_the_api_lists_frameworks_in_the_language_asked_for(client, french_site):
    import os

    from frameworks import seed as frameworks_seed
    from frameworks import seed_french as frameworks_french

    devnull = open(os.devnull, "w")  # noqa: SIM115
    frameworks_seed.seed(devnull)
    frameworks_french.seed(devnull)
    english = client.get("/api/v1/frameworks").json()
    french = client.get("/api/v1/frameworks?lang=fr").json()
    assert english and french and len(english) == len(french)
    assert {page["url"].split("/")[3] for page in english} == {"frameworks"}
    assert {tuple(page["url"].split("/")[3:5]) for page in french} == {("fr", "cadres")}
    english_titles = {page["title"] for page in english}
    assert not english_titles & {page["title"] for page in french}
