import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from events import seed as events_seed
from events.models import EventPage, Registration, Speaker, WebinarPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(home_page):
    events_seed.seed(io.StringIO())
    return home_page


def test_seed_is_idempotent(seeded):
    counts = (
        EventPage.objects.count(),
        WebinarPage.objects.count(),
        Speaker.objects.count(),
    )
    events_seed.seed(io.StringIO())
    assert counts == (
        EventPage.objects.count(),
        WebinarPage.objects.count(),
        Speaker.objects.count(),
    )
    assert counts[0] == 1 and counts[1] == 1


def test_seed_demo_builds_the_forum_and_the_webinar(db):
    call_command("seed_demo", stdout=io.StringIO())
    # One forum and one webinar, each in English and in French.
    for model in (EventPage, WebinarPage):
        pages = model.objects.live()
        assert sorted(pages.values_list("locale__language_code", flat=True)) == [
            "en",
            "fr",
        ]
        assert len({page.translation_key for page in pages}) == 1


def test_seeded_forum_has_agenda_speakers_and_open_registration(client, seeded):
    forum = EventPage.objects.get()
    html = client.get("/events/").content.decode()
    assert forum.title in html and "Registration open" in html
    html = client.get(forum.url).content.decode()
    assert "Welcome and opening remarks" in html
    agenda = html.split('id="agenda-heading"', 1)[1].split("</table>", 1)[0]
    opening = agenda.split("Welcome and opening remarks", 1)[1].split("</tr>", 1)[0]
    assert "Program Coordinator" in opening
    assert "Working Group Chair (Higher Education)" in html
    assert "Toronto Reference Library" in html
    assert "Hybrid" in html
    assert forum.online_url not in html
    assert forum.state == "open"
    nav = client.get("/").content.decode().split('aria-label="Main"', 1)[1]
    assert 'href="/events/"' in nav.split("</nav>", 1)[0]
    assert 'href="/webinars/"' in nav.split("</nav>", 1)[0]


def test_seeded_webinar_plays_with_captions_and_transcript(client, seeded):
    webinar = WebinarPage.objects.get()
    assert webinar.recorded_on == date(2019, 10, 23)
    listing = client.get("/webinars/").content.decode()
    assert webinar.title in listing and "Oct. 23, 2019" in listing
    html = client.get(webinar.url).content.decode()
    assert "<video" in html and 'type="video/webm"' in html
    assert f'<track kind="captions" src="{webinar.url}captions/"' in html
    assert "Transcript" in html and "expression-of-interest webinar" in html
    captions = client.get(webinar.url + "captions/")
    assert captions.status_code == 200
    assert captions["Content-Type"].startswith("text/vtt")
    assert captions.content.startswith(b"WEBVTT")
    video = client.get(webinar.video.url)
    assert video.status_code == 200
    assert b"".join(video.streaming_content)[:4] == b"\x1a\x45\xdf\xa3"  # WebM


def test_webinars_are_listed_newest_first(client, seeded):
    index = seeded.get_children().get(slug="webinars")
    newer = WebinarPage(
        title="Framework update webinar",
        slug="framework-update",
        recorded_on=date(2021, 3, 1),
        video_url="https://video.example.org/update",
        transcript="<p>Hello</p>",
    )
    index.add_child(instance=newer)
    newer.save_revision().publish()
    html = client.get("/webinars/").content.decode()
    assert html.index("Framework update webinar") < html.index(
        "Micro-certification EOI webinar"
    )
    page = client.get(newer.url).content.decode()
    assert 'href="https://video.example.org/update"' in page


def test_webinar_needs_a_recording(seeded):
    webinar = WebinarPage(
        title="No video",
        slug="no-video",
        recorded_on=date(2020, 1, 1),
        transcript="<p>x</p>",
    )
    with pytest.raises(ValidationError) as excinfo:
        webinar.full_clean()
    assert "video_url" in excinfo.value.message_dict


def test_event_rules_are_validated(seeded):
    forum = EventPage.objects.get()
    forum.end = forum.start.replace(year=forum.start.year - 1)
    forum.online_url = ""
    with pytest.raises(ValidationError) as excinfo:
        forum.full_clean()
    assert set(excinfo.value.message_dict) >= {"end", "online_url"}


def test_registering_for_the_seeded_forum(client, seeded, user):
    forum = EventPage.objects.get()
    client.force_login(user)
    response = client.post(
        forum.url + "register/", {"name": "Mira Member", "privacy": "on"}
    )
    assert response.status_code == 302
    assert Registration.objects.get().status == "confirmed"
