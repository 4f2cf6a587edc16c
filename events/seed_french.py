"""The forum and the 2019 webinar in Canadian French.

Each French page is a Wagtail translation of the English one (the same
`translation_key`) under the French home page, with a French slug. The French
forum is the same event as the English one: its registrations and seats are
the English page's (`EventPage.seat_event`). The French webinar plays the same
recording with French captions, a WebVTT file with the English one's timings.
Run after cms.seed_french; a page already translated is left alone, so
running it twice changes nothing.
"""

from wagtail.models import Locale

from cms import seed as cms_seed
from cms import seed_french as cms_french
from cms.models import HomePage

from . import seed as english
from .models import EventIndexPage, EventPage, WebinarIndexPage, WebinarPage

NBSP = "\u00a0"

FORUM_SUMMARY = (
    "Des employeurs et des dirigeantes et dirigeants d'établissements de partout "
    "en Amérique du Nord échangent leurs expériences et bâtissent une communauté "
    "de pratique."
)
VENUE = "Bibliothèque de référence de Toronto, salon Appel"
# The English sessions' titles, rooms and tracks, in French.
SESSIONS = {
    "Welcome and opening remarks": "Accueil et mot d'ouverture",
    "The framework for micro-certification: where we are": (
        f"Le cadre de la microcertification{NBSP}: où en sommes-nous?"
    ),
    "Employers and skills-based hiring": (
        "Les employeurs et l'embauche fondée sur les compétences"
    ),
    "Assessment and evidence in practice": "L'évaluation et les preuves en pratique",
    "Partner endorsement: a working session": (
        f"La reconnaissance par les partenaires{NBSP}: séance de travail"
    ),
    "Closing and next steps": "Clôture et prochaines étapes",
}
ROOMS = {
    "Appel Salon": "Salon Appel",
    "Appel Salon / livestream": "Salon Appel / diffusion en direct",
    "Room B": "Salle B",
    "Room C": "Salle C",
}
TRACKS = {
    "Plenary": "Plénière",
    "Industry": "Industrie",
    "Higher education": "Enseignement supérieur",
    "Community of practice": "Communauté de pratique",
}

WEBINAR_TITLE = "Webinaire de déclaration d'intérêt sur la microcertification"
WEBINAR_SLUG = "webinaire-declaration-dinteret-2019-10-23"
CAPTIONS_TITLE = "Sous-titres du webinaire de déclaration d'intérêt (WebVTT)"
CAPTIONS_FILE = "eoi-webinar.fr.vtt"
TRANSCRIPT = f"""
<p><b>Coordonnatrice du programme{NBSP}:</b> Bienvenue au webinaire de
déclaration d'intérêt sur la microcertification. Merci d'être des nôtres en ce
23 octobre 2019.</p>
<p>Aujourd'hui, nous expliquons ce qu'est une microcertification, pourquoi le
programme investit maintenant dans la microcertification et comment les
collèges et les universités de l'Ontario peuvent manifester leur intérêt à y
participer.</p>
<p>La microcertification permet de reconnaître aussi bien des compétences
propres à un domaine que des compétences transversales. Jumelée aux
connaissances approfondies acquises dans un programme d'études, elle donne un
portrait plus complet des capacités et des réalisations d'une personne.</p>
<p>Le Groupe de travail sur la microcertification réunit des professionnelles et
des professionnels de l'enseignement supérieur et de l'industrie. Ses membres
élaborent et mettent à l'essai un cadre pour la microcertification{NBSP}:
pertinence pour le marché du travail, évaluation, preuves, normes de
validation et reconnaissance par les partenaires.</p>
<p>Nous expliquerons comment les établissements peuvent se joindre au groupe de
travail. Le document-cadre et les principes peuvent être téléchargés à partir
de ce site.</p>
<p>Merci d'être des nôtres. Vous pouvez envoyer vos questions à la
coordonnatrice ou au coordonnateur du programme au moyen de la page Nous
joindre.</p>
"""


def translate(english_page, locale, slug, **fields):
    """The French translation of `english_page`, made and published if absent."""
    existing = english_page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific, False
    page = english_page.copy_for_translation(locale)
    page.slug = slug
    for name, value in fields.items():
        setattr(page, name, value)
    page.save()
    return page, True


def _forum(english_forum, locale):
    year = english_forum.start.year
    forum, created = translate(
        english_forum,
        locale,
        f"forum-sur-la-microcertification-{year}",
        title=f"Forum sur la microcertification {year}",
        summary=FORUM_SUMMARY,
        venue=VENUE,
        body=[("paragraph", f"<p>{cms_french.FORUM}</p>")],
    )
    if not created:
        return forum
    speakers = list(english_forum.speakers.all())
    sessions = {session.sort_order: session for session in english_forum.sessions.all()}
    for session in forum.sessions.all():
        source = sessions.get(session.sort_order)
        session.title = SESSIONS.get(session.title, session.title)
        session.room = ROOMS.get(session.room, session.room)
        session.track = TRACKS.get(session.track, session.track)
        session.save()
        if source is not None and not session.speakers.exists():
            session.speakers.set(list(source.speakers.all()))
            session.save()
    forum = EventPage.objects.get(pk=forum.pk)
    if not forum.speakers.exists():
        forum.speakers.set(speakers)
    forum.save_revision().publish()
    return forum


def _captions():
    return english._document(CAPTIONS_TITLE, CAPTIONS_FILE)


def _webinar(english_webinar, locale, frameworks):
    webinar, created = translate(
        english_webinar,
        locale,
        WEBINAR_SLUG,
        title=WEBINAR_TITLE,
        summary=(
            f"Le webinaire de déclaration d'intérêt du 23 octobre 2019{NBSP}: ce "
            "qu'est la microcertification et comment se joindre au groupe de "
            "travail. Enregistrement en anglais, avec sous-titres en français."
        ),
        captions=_captions(),
        captions_language="fr",
        transcript=TRANSCRIPT.strip(),
        related_links=[("page", frameworks)] if frameworks is not None else [],
    )
    if not created:
        return webinar
    webinar = WebinarPage.objects.get(pk=webinar.pk)
    if not webinar.presenters.exists():
        webinar.presenters.set(list(english_webinar.presenters.all()))
    webinar.save_revision().publish()
    return webinar


def seed(stdout):
    locale = Locale.objects.filter(language_code="fr").first()
    english_home = HomePage.default()
    if locale is None or english_home.get_translation_or_none(locale) is None:
        return
    default = Locale.get_default()
    english_events = EventIndexPage.objects.filter(locale=default).first()
    english_webinars = WebinarIndexPage.objects.filter(locale=default).first()
    forum = webinar = None
    if english_events is not None:
        events, created = translate(
            english_events,
            locale,
            "evenements",
            title="Événements",
            summary=(
                "Le Forum annuel sur la microcertification et d'autres "
                f"événements{NBSP}: inscrivez-vous, joignez-vous à la liste "
                "d'attente, ajoutez-les à votre agenda."
            ),
            intro=(
                "<p>Les places au Forum annuel sont limitées. Lorsqu'il n'en reste "
                "plus, vous pouvez vous inscrire à la liste d'attente; les places "
                "qui se libèrent sont offertes dans l'ordre de la liste.</p>"
            ),
        )
        if created:
            events.save_revision().publish()
        english_forum = (
            EventPage.objects.child_of(english_events)
            .filter(slug__startswith="micro-certification-forum-")
            .order_by("-start")
            .first()
        )
        if english_forum is not None:
            forum = _forum(english_forum, locale)
    if english_webinars is not None:
        webinars, created = translate(
            english_webinars,
            locale,
            "webinaires",
            title="Webinaires",
            summary=(
                "Les enregistrements des webinaires du programme, avec "
                "sous-titres et transcriptions complètes."
            ),
        )
        if created:
            webinars.save_revision().publish()
        english_webinar = (
            WebinarPage.objects.child_of(english_webinars)
            .filter(slug="eoi-webinar-2019-10-23")
            .first()
        )
        if english_webinar is not None:
            frameworks = (
                english_home.get_translation(locale)
                .get_children()
                .filter(slug="cadres")
                .first()
            )
            webinar = _webinar(english_webinar, locale, frameworks)
    if forum is not None:
        forum = EventPage.objects.get(pk=forum.pk)
        cms_seed.link_phrase(cms_french.SEE_FORUM, page=forum)
        cms_seed.link_phrase(
            cms_french.REGISTER_FORUM, href=forum.get_url() + "#register"
        )
    if webinar is not None:
        cms_seed.link_phrase(cms_french.VIEW_WEBINAR, page=webinar)
    stdout.write("Seeded the French forum and webinar.")
