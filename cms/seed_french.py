"""The demo site's core pages in Canadian French (issue 21).

Each French page is a Wagtail translation of its English page (the same
`translation_key`, made by `copy_for_translation`), under the French home
page, with its own French slug, so the switcher, hreflang and wagtail-localize
see them as translations. Run after every app's seed (seed_demo); a page
already translated is left alone, so running it twice changes nothing.
"""

from wagtail.models import Locale

from .models import ContactFormField, ContactPage, HomePage, StandardPage
from .seed import _paragraph

NBSP = "\u00a0"  # before « : », as Canadian French typography has it

RMIT_QUOTE = (
    "Un justificatif numérique est la certification officielle de l'acquisition "
    "de compétences ou de capacités par une personne. Il est délivré sous une "
    "forme numérique vérifiée, sécurisée et que l'on peut communiquer à ses "
    "pairs, aux employeurs et aux établissements d'enseignement. Les "
    "justificatifs numériques peuvent être organisés, annotés et diffusés sur "
    "des réseaux numériques sous le contrôle de la personne qui les a obtenus. "
    "Les microtitres attestent eux aussi les réalisations d'une personne dans "
    "des compétences précises; ils se distinguent des titres d'études "
    "traditionnels, comme les grades et les diplômes, en ce qu'ils sont plus "
    "courts, peuvent être personnalisés et apportent une valeur et une "
    "pertinence particulières dans un monde du travail en pleine évolution."
)
RMIT_ATTRIBUTION = "Université RMIT (traduction libre)"
RMIT_INTRO = (
    "L'Université RMIT, en Australie, propose une description utile des "
    "justificatifs numériques et des microtitres, qui relèvent tous deux de la "
    f"microcertification{NBSP}:"
)

WHY_NOW = (
    "La microcertification permet de reconnaître aussi bien des compétences "
    "propres à un domaine que des compétences transversales. Jumelés aux "
    "connaissances approfondies acquises dans un programme d'études, les "
    "microtitres donnent un portrait plus complet des capacités et des "
    "réalisations d'une personne. Dans un marché du travail qui change "
    "rapidement et une économie des petits contrats en plein essor, un système "
    "de reconnaissance souple est essentiel, tant pour les professionnelles et "
    "les professionnels que pour les employeurs, qui embauchent de plus en plus "
    "en fonction des compétences."
)

ECOSYSTEM_HEADING = (
    "Bâtir un écosystème harmonisé de la microcertification pour l'Ontario"
)
ECOSYSTEM = [
    "Le travail du programme sur les microtitres vise à renforcer et à étendre "
    "la microcertification dans les collèges et les universités de l'Ontario, "
    "grâce à un cadre commun et à une communauté de pratique.",
    "Le Groupe de travail sur la microcertification réunit des professionnelles "
    "et des professionnels de l'enseignement supérieur et de l'industrie pour "
    "aborder la microcertification sous un angle systémique. Ses membres "
    "s'engagent à resserrer les liens entre les compétences et à bâtir des "
    "passerelles entre l'enseignement supérieur et la main-d'œuvre ontarienne.",
    "Le groupe de travail élabore et met à l'essai un cadre pour la "
    "microcertification qui en assure la pertinence pour le marché du travail, "
    "l'évaluation, les preuves d'apprentissage, les normes de validation et la "
    "reconnaissance par les partenaires.",
    f"Sur ce site, vous pouvez{NBSP}:",
]
# Each app's French seed links these phrases once its page exists
# (cms.seed.link_phrase), as the English seed does.
DOWNLOAD_FRAMEWORK = (
    "télécharger le document-cadre et les principes de la microcertification"
)
VIEW_WEBINAR = (
    "regarder le webinaire de déclaration d'intérêt sur la microcertification "
    "du 23 octobre 2019"
)
SEE_FORUM = "Consulter le programme du Forum annuel"
REGISTER_FORUM = "S'inscrire au Forum annuel"
PROMISES = (
    f"<p>{ECOSYSTEM[3]}</p><ul>"
    f"<li>{DOWNLOAD_FRAMEWORK} (PDF);</li>"
    f"<li>{VIEW_WEBINAR} (en anglais, avec sous-titres en français).</li></ul>"
)

FORUM = (
    "Le Forum annuel sur la microcertification rassemble des employeurs et des "
    "dirigeantes et dirigeants d'établissements d'enseignement de partout en "
    "Amérique du Nord. Pendant cet événement interactif, des participantes et "
    "participants de plusieurs secteurs échangent leurs expériences et bâtissent "
    "une communauté de pratique vouée à l'avancement de la microcertification."
)
FORUM_LINKS = f"<ul><li>{SEE_FORUM}</li><li>{REGISTER_FORUM}</li></ul>"
COORDINATOR = "la coordonnatrice ou le coordonnateur du programme"
TO_COORDINATOR = "à la coordonnatrice ou au coordonnateur du programme"


def _heading(text, anchor=""):
    return ("heading", {"text": text, "level": "h2", "anchor": anchor})


def _quote():
    return (
        "quote",
        {"quote": RMIT_QUOTE, "attribution": RMIT_ATTRIBUTION, "source_url": ""},
    )


def _write_to(contact):
    """ "écrivez à la coordonnatrice…", a link to the contact page once it exists."""
    text = f"écrivez {TO_COORDINATOR}"
    if contact is None:
        return text
    return f'<a linktype="page" id="{contact.pk}">{text}</a>'


def translate(english, locale, slug, **fields):
    """The French translation of `english`, made and published if it is absent.

    Wagtail copies the page (and its form fields) under the French parent,
    keeping its translation key; the French text then replaces the copy's.
    """
    existing = english.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    page = english.copy_for_translation(locale)
    page.slug = slug
    for name, value in fields.items():
        setattr(page, name, value)
    page.save()
    page.save_revision().publish()
    return page


def _standard(home, locale, slug, french_slug, **fields):
    english = StandardPage.objects.filter(locale__language_code="en", slug=slug).first()
    if english is None:
        return None
    return translate(english, locale, french_slug, **fields)


def seed(stdout):
    locale, _created = Locale.objects.get_or_create(language_code="fr")
    english_home = HomePage.objects.get(locale=Locale.get_default())
    home = translate(
        english_home,
        locale,
        "microcertification",
        title="La microcertification en Ontario",
        intro=(
            "Un cadre commun et une communauté de pratique pour la "
            "microcertification dans les collèges et les universités de l'Ontario."
        ),
        summary=(
            "Ce qu'est la microcertification, pourquoi elle compte aujourd'hui et "
            "comment le programme bâtit un écosystème harmonisé de la "
            "microcertification."
        ),
        body=[],
    )

    english_contact = ContactPage.objects.filter(
        locale=english_home.locale, slug="contact"
    ).first()
    contact = None
    if english_contact is not None:
        contact = translate(
            english_contact,
            locale,
            "nous-joindre",
            title="Nous joindre",
            seo_title=f"Écrire {TO_COORDINATOR}",
            summary=(
                "Des questions sur la microcertification, le groupe de travail ou "
                "le forum?"
            ),
            intro=(
                f"<p>Envoyez un message {TO_COORDINATOR}. Nous répondons dans un "
                "délai de deux jours ouvrables.</p>"
            ),
            thank_you_text=(
                f"<p>Merci. Votre message a été transmis {TO_COORDINATOR}.</p>"
            ),
            subject="Message du site de la microcertification",
        )
        labels = ["Votre nom", "Votre adresse courriel", "Organisme", "Message"]
        fields = ContactFormField.objects.filter(page=contact).order_by("sort_order")
        changed = False
        for field, label in zip(fields, labels, strict=False):
            if field.label != label:
                # The field's name (clean_name) stays the English one: the
                # submissions of both languages share their columns.
                field.label = label
                field.save()
                changed = True
        if changed:
            contact.save_revision().publish()

    write_to = _write_to(contact)

    _standard(
        home,
        locale,
        "what-is-a-micro-certification",
        "quest-ce-quune-microcertification",
        title="Qu'est-ce qu'une microcertification?",
        summary=(
            "Les justificatifs numériques et les microtitres, tels que les décrit "
            "l'Université RMIT."
        ),
        body=[_paragraph(RMIT_INTRO), _quote()],
    )
    _standard(
        home,
        locale,
        "why-micro-certification-now",
        "pourquoi-la-microcertification-maintenant",
        title="Pourquoi la microcertification maintenant?",
        summary=(
            "Reconnaître les compétences propres à un domaine et les compétences "
            "transversales dans un marché du travail qui change vite."
        ),
        body=[_paragraph(WHY_NOW)],
    )
    _standard(
        home,
        locale,
        "harmonized-ecosystem",
        "ecosysteme-harmonise",
        title=ECOSYSTEM_HEADING,
        summary="Un cadre commun et une communauté de pratique pour l'Ontario.",
        body=[
            _heading("Un cadre commun"),
            _paragraph(ECOSYSTEM[0]),
            _heading("Le Groupe de travail sur la microcertification", "working-group"),
            _paragraph(ECOSYSTEM[1]),
            _paragraph(ECOSYSTEM[2]),
            ("paragraph", PROMISES),
        ],
    )
    _standard(
        home,
        locale,
        "annual-forum",
        "forum-annuel",
        title="Forum annuel",
        summary=(
            "Des employeurs et des dirigeantes et dirigeants d'établissements de "
            "partout en Amérique du Nord."
        ),
        body=[
            _paragraph(FORUM),
            ("paragraph", FORUM_LINKS),
            _paragraph(f"Pour en savoir plus, {write_to}."),
        ],
    )
    _standard(
        home,
        locale,
        "accessibility",
        "accessibilite",
        title="Déclaration d'accessibilité",
        summary=(
            "Comment ce site respecte la Loi sur l'accessibilité pour les personnes "
            "handicapées de l'Ontario (LAPHO) et comment nous signaler un obstacle."
        ),
        body=[
            _paragraph(
                "Le programme veut que tout le monde puisse utiliser ce site. Il est "
                "conçu pour respecter le niveau AA des Règles pour l'accessibilité "
                "des contenus Web (WCAG) 2.1, que les Normes d'accessibilité "
                "intégrées de la Loi sur l'accessibilité pour les personnes "
                "handicapées de l'Ontario (LAPHO) exigent des sites Web du secteur "
                "public ontarien."
            ),
            _heading("Ce que nous faisons"),
            (
                "paragraph",
                "<ul><li>Chaque page fonctionne au clavier seulement et avec les "
                "lecteurs d'écran, et montre où se trouve le focus du clavier.</li>"
                "<li>Les pages s'adaptent aux téléphones et à un zoom de 400 % sans "
                "défilement horizontal.</li><li>Les enregistrements des webinaires "
                "ont des sous-titres et une transcription complète.</li><li>Les "
                "documents-cadres se lisent en ligne et se téléchargent en PDF."
                "</li><li>Chaque type de page est vérifié par des tests "
                "d'accessibilité automatisés (axe-core) avant sa mise en ligne."
                "</li></ul>",
            ),
            _heading("Limites connues"),
            _paragraph(
                "Les versions PDF des documents-cadres ont un titre, une langue et "
                "des signets, mais ne sont pas entièrement balisées; la version Web "
                "de chaque document a le même contenu et en est la version "
                "accessible."
            ),
            _heading("Nous signaler un obstacle"),
            _paragraph(
                f"Si une partie de ce site est difficile à utiliser, {write_to}. "
                "Nous répondons dans un délai de deux jours ouvrables et pouvons "
                "fournir tout document dans un format accessible ou avec des aides "
                "à la communication sur demande."
            ),
        ],
    )
    _standard(
        home,
        locale,
        "privacy",
        "confidentialite",
        title="Avis de confidentialité",
        summary=(
            "Les renseignements personnels que ce site recueille, pourquoi, qui les "
            "voit et combien de temps nous les conservons."
        ),
        body=[
            _paragraph(
                "Cet avis explique quels renseignements personnels le programme "
                "recueille au moyen de ce site et comment il les utilise. Nous ne "
                "recueillons que ce dont nous avons besoin pour offrir le programme."
            ),
            _heading("Inscriptions aux événements"),
            _paragraph(
                "Lorsque vous vous inscrivez au forum ou à un autre événement, nous "
                "conservons votre nom, votre adresse courriel, votre organisme, "
                "votre secteur, votre rôle et les mesures d'adaptation ou besoins "
                "alimentaires dont vous nous faites part. Le personnel qui organise "
                "l'événement les consulte; nous ne les utilisons que pour "
                "l'organiser et nous les supprimons un an après."
            ),
            _heading("Profils des membres"),
            _paragraph(
                "Les membres ont un compte avec une adresse courriel et un nom "
                "d'affichage, et peuvent y ajouter un organisme, un rôle et une "
                "courte biographie. Vous choisissez si les autres membres peuvent "
                "voir votre profil, et vous pouvez télécharger vos données ou "
                "supprimer votre compte à partir des pages de votre compte."
            ),
            _heading("Messages envoyés par le formulaire"),
            _paragraph(
                "Les messages envoyés au moyen du formulaire de contact sont "
                f"transmis {TO_COORDINATOR} avec le nom et l'adresse courriel que "
                "vous indiquez, pour que nous puissions vous répondre."
            ),
            _heading("Ce que nous ne faisons pas"),
            _paragraph(
                "Nous ne vendons ni ne communiquons de renseignements personnels, "
                "et le site n'utilise ni publicité ni suivi par des tiers. Le "
                "nombre de téléchargements n'enregistre rien sur les personnes qui "
                "ont téléchargé un document."
            ),
            _heading("Questions"),
            _paragraph(
                "Pour consulter, corriger ou supprimer les renseignements que nous "
                f"détenons à votre sujet, {write_to}."
            ),
        ],
    )

    # Read again: the pages added under it changed its row (numchild), and a
    # revision published from a stale copy would write the old values back.
    home = HomePage.objects.get(pk=home.pk)
    if not home.body:
        home.body = [
            _heading("Qu'est-ce qu'une microcertification?"),
            _paragraph(RMIT_INTRO),
            _quote(),
            _heading("Pourquoi la microcertification maintenant?"),
            _paragraph(WHY_NOW),
            _heading(ECOSYSTEM_HEADING),
            _paragraph(ECOSYSTEM[0]),
            _paragraph(ECOSYSTEM[1]),
            ("paragraph", PROMISES),
            _heading("Forum annuel"),
            _paragraph(FORUM),
            ("paragraph", FORUM_LINKS),
            (
                "call_to_action",
                {
                    "heading": "Des questions sur le programme?",
                    "text": f"{COORDINATOR[0].upper()}{COORDINATOR[1:]} répond à "
                    "vos questions sur la microcertification, le groupe de travail "
                    "et le forum.",
                    "page": contact,
                    "url": "",
                    "button_text": f"Écrire {TO_COORDINATOR}",
                },
            ),
        ]
        home.save_revision().publish()
    stdout.write("Seeded the French pages.")
    return home
