"""seed_demo's French frameworks, forum and webinar (issue 21).

The French framework has its own PDF, typeset from the French text with French
labels and dates; the French forum is the same event as the English one (one
set of seats); the French webinar has French captions.
"""

import io
import os
import re

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader
from wagtail.documents import get_document_model
from wagtail.models import Page

from cms import seed_french as cms_french
from events import seed as events_seed
from events import seed_french as events_french
from events import services
from events.models import EventPage, Registration, WebinarPage
from frameworks import seed as frameworks_seed
from frameworks import seed_french as frameworks_french
from frameworks.models import FrameworkPage, FrameworkVersion
from frameworks.text import table_of_contents

pytestmark = pytest.mark.django_db

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def _seed_french():
    out = open(os.devnull, "w")  # noqa: SIM115
    cms_french.seed(out)
    frameworks_french.seed(out)
    events_french.seed(out)


@pytest.fixture
def bilingual(home_page):
    """seed_demo's pages of the frameworks and events, in both languages."""
    out = open(os.devnull, "w")  # noqa: SIM115
    frameworks_seed.seed(out)
    events_seed.seed(out)
    _seed_french()
    return home_page


def _pdf_text(document):
    with document.open_file() as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def _french(model, **filters):
    return model.objects.get(locale__language_code="fr", **filters)


def _french_date(moment):
    day = timezone.localtime(moment).date()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def test_the_french_framework_has_its_own_pdf_in_french(client, bilingual):
    english = FrameworkPage.objects.get(slug=frameworks_seed.FRAMEWORK_SLUG)
    page = _french(FrameworkPage, slug=frameworks_french.FRAMEWORK_SLUG)
    assert page.translation_key == english.translation_key
    version = page.versions.get(number="1.0")
    assert version.pdf is not None
    assert version.pdf != english.versions.get(number="1.0").pdf

    reader, text = _pdf_text(version.pdf)
    headings = [entry[1] for entry in table_of_contents(page.body)]
    assert {"Objet", "Portée", "Principes", "Rôles et responsabilités"} <= set(headings)
    for heading in headings:
        assert heading in text
    for name, statement, evidence in frameworks_french.PRINCIPLES:
        assert name in text
        assert " ".join(statement.split()) in text
        assert " ".join(evidence.split()) in text
    for row in frameworks_french.ROLES:
        for cell in row:
            assert cell in text
    assert frameworks_french.SCOPE in text
    # The fixed labels and the date in French; the stable address is French.
    assert f"Version 1.0, publiée le {_french_date(version.published_at)}" in text
    assert "Citer cette version" in text
    assert "Adresse stable" in text
    assert "Preuves qu'il est respecté" in text
    stable = f"{settings.SITE_URL}/fr/cadres/{frameworks_french.FRAMEWORK_SLUG}/v/1.0/"
    assert stable in text
    for english_label in ("published", "Cite this version", "Evidence that it is"):
        assert english_label not in text
    assert reader.metadata.title == f"{frameworks_french.FRAMEWORK_TITLE} 1.0"
    assert str(reader.trailer["/Root"]["/Lang"]) == "fr"
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Principes" in outline and "Rôles et responsabilités" in outline

    # The English PDF stays English.
    _reader, english_text = _pdf_text(english.versions.get(number="1.0").pdf)
    assert "Version 1.0, published" in english_text and "publiée" not in english_text

    # The French page offers its French PDF, and its stable PDF link leads there.
    html = client.get(page.url).content.decode()
    assert '<html lang="fr"' in html
    assert f'href="{version.pdf.url}"' in html
    response = client.get(page.url + "pdf/")
    assert response.status_code == 302 and response["Location"] == version.pdf.url


def test_the_french_principles_have_their_pdf_too(bilingual):
    page = _french(FrameworkPage, slug=frameworks_french.PRINCIPLES_SLUG)
    _reader, text = _pdf_text(page.versions.get().pdf)
    assert "Les cinq principes" in text and "Reconnaissance par les partenaires" in text


def test_the_french_home_links_the_french_pdf(client, bilingual):
    html = client.get("/fr/").content.decode()
    framework = _french(FrameworkPage, slug=frameworks_french.FRAMEWORK_SLUG)
    assert f'<a href="{framework.url}pdf/">{cms_french.DOWNLOAD_FRAMEWORK}</a>' in html
    forum = _french(EventPage)
    assert f'<a href="{forum.url}#register">{cms_french.REGISTER_FORUM}</a>' in html


def test_the_french_forum_has_a_french_agenda(client, bilingual):
    english = EventPage.objects.get(locale__language_code="en")
    forum = _french(EventPage)
    assert forum.translation_key == english.translation_key
    assert forum.url.startswith("/fr/evenements/forum-sur-la-microcertification-")
    html = client.get(forum.url).content.decode()
    assert '<html lang="fr"' in html
    agenda = html.split('id="agenda-heading"', 1)[1].split("</table>", 1)[0]
    for title in events_french.SESSIONS.values():
        assert title.replace("'", "&#x27;") in html
    assert "Welcome and opening remarks" not in agenda
    assert "Plénière" in agenda
    assert "Inscriptions ouvertes" in html
    assert forum.online_url not in html
    listing = client.get("/fr/evenements/").content.decode()
    assert forum.title in listing


def test_one_event_in_two_languages_has_one_set_of_seats(client, bilingual):
    english = EventPage.objects.get(locale__language_code="en")
    english.capacity = 2
    english.save_revision().publish()
    forum = _french(EventPage)
    # The English page's seats, dates and capacity are the French page's.
    assert forum.capacity == 2

    # A guest registers on the French page, a member on the English one.
    response = client.post(
        forum.url + "register/",
        {
            "name": "Geneviève Tremblay",
            "email": "genevieve@example.com",
            "organisation": "Collège Boréal",
            "sector": "higher_education",
            "privacy": "on",
        },
    )
    assert response.status_code == 200
    guest = Registration.objects.get(email="genevieve@example.com")
    assert guest.event_id == english.pk
    services.confirm_guest(registration=guest)
    services.register(
        event=english, name="Early Bird", email="early@example.org", email_verified=True
    )
    assert Registration.objects.confirmed().filter(event=english).count() == 2

    # Both pages are full; a third person, on the French page, is waitlisted.
    for page in (english, forum):
        page = EventPage.objects.get(pk=page.pk)
        assert page.seats_left() == 0 and page.state == "waitlist"
    third = services.register(
        event=EventPage.objects.get(pk=forum.pk),
        name="Troisième",
        email="trois@example.org",
        email_verified=True,
    )
    assert third.status == "waitlisted" and third.event_id == english.pk
    html = client.get(forum.url).content.decode()
    assert "Liste d'attente seulement" in html.replace("&#x27;", "'")
    listing = client.get("/fr/evenements/").content.decode()
    assert "Liste d'attente seulement" in listing.replace("&#x27;", "'")

    # The same address cannot take a second seat through the other language.
    with pytest.raises(services.DuplicateRegistration):
        services.register(
            event=EventPage.objects.get(pk=forum.pk),
            name="Early Bird",
            email="early@example.org",
            email_verified=True,
        )

    # A cancellation frees the seat for the waitlist, whatever the language.
    services.cancel(registration=guest)
    assert Registration.objects.get(pk=third.pk).status == "confirmed"


def test_a_member_registered_in_english_sees_it_on_the_french_page(
    client, bilingual, user
):
    english = EventPage.objects.get(locale__language_code="en")
    services.register(
        event=english, name="Mira", email=user.email, user=user, email_verified=True
    )
    client.force_login(user)
    html = client.get(_french(EventPage).url).content.decode()
    assert "Votre place est confirmée." in html


def _cue_times(data):
    return re.findall(r"^\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}$", data, re.M)


def test_the_french_webinar_has_french_captions(client, bilingual):
    english = WebinarPage.objects.get(locale__language_code="en")
    webinar = _french(WebinarPage)
    assert webinar.translation_key == english.translation_key
    html = client.get(webinar.url).content.decode()
    assert '<html lang="fr"' in html
    assert (
        f'<track kind="captions" src="{webinar.url}captions/" srclang="fr" '
        'label="Français" default>'
    ) in html
    assert "Transcription" in html and "Bienvenue au webinaire" in html
    french = client.get(webinar.url + "captions/")
    assert french["Content-Type"].startswith("text/vtt")
    french_text = french.content.decode()
    assert french_text.startswith("WEBVTT")
    assert "Bienvenue au webinaire de déclaration d'intérêt" in french_text
    english_text = client.get(english.url + "captions/").content.decode()
    assert _cue_times(french_text) == _cue_times(english_text)
    assert len(_cue_times(french_text)) == 3
    # The English page keeps its English track.
    english_html = client.get(english.url).content.decode()
    assert 'srclang="en" label="English" default>' in english_html


def test_seeding_the_french_pages_twice_changes_nothing(bilingual):
    def state():
        return (
            sorted(
                Page.objects.filter(locale__language_code="fr").values_list(
                    "pk", "path", "live"
                )
            ),
            FrameworkVersion.objects.count(),
            get_document_model().objects.count(),
            Registration.objects.count(),
        )

    before = state()
    _seed_french()
    assert state() == before


def test_staff_see_the_event_once_with_the_registrations_of_both_pages(
    client, bilingual, staff
):
    english = EventPage.objects.get(locale__language_code="en")
    forum = _french(EventPage)
    services.register(
        event=forum, name="Geneviève", email="gen@example.com", email_verified=True
    )
    services.register(
        event=english, name="Early Bird", email="early@example.org", email_verified=True
    )
    client.force_login(staff)
    listing = client.get("/admin/registrations/").content.decode()
    assert f'href="/admin/registrations/{english.pk}/"' in listing
    assert f'href="/admin/registrations/{forum.pk}/"' not in listing
    # The French page's registrations are the event's.
    html = client.get(f"/admin/registrations/{forum.pk}/").content.decode()
    assert "gen@example.com" in html and "early@example.org" in html
