"""The framework and the principles in Canadian French, each with its own PDF.

Each French page is a Wagtail translation of the English one (the same
`translation_key`), under the French frameworks page, with a French slug.
Publishing it records its own version 1.0, whose PDF is typeset from the
French text with French labels and dates (frameworks/pdf.py). Run after
cms.seed_french (the French home page); a page already translated is left
alone, so running it twice changes nothing.
"""

from wagtail.models import Locale

from cms import seed as cms_seed
from cms import seed_french as cms_french

from . import seed as english
from .models import FrameworkIndexPage, FrameworkPage

NBSP = "\u00a0"

INDEX_TITLE = "Cadre et principes"
INDEX_SLUG = "cadres"
FRAMEWORK_TITLE = "Cadre et principes de la microcertification"
FRAMEWORK_SLUG = "cadre-de-la-microcertification"
PRINCIPLES_TITLE = "Principes de la microcertification"
PRINCIPLES_SLUG = "principes-de-la-microcertification"

PRINCIPLES = [
    (
        "Pertinence pour le marché du travail",
        "Chaque microcertification reconnaît des compétences que les employeurs et "
        "les partenaires sectoriels ont désignées comme recherchées en Ontario.",
        "De l'information sur le marché du travail, le compte rendu d'une "
        "consultation d'employeurs ou la lettre d'un partenaire sectoriel qui "
        "nomme les compétences et les postes qui en ont besoin.",
    ),
    (
        "Évaluation",
        "Les personnes apprenantes démontrent la compétence dans une tâche "
        "authentique; terminer la formation ne suffit pas.",
        "La tâche d'évaluation, sa grille et le seuil à atteindre, révisés par "
        "une ou un spécialiste du domaine.",
    ),
    (
        "Preuves",
        "Le titre porte les preuves de ce que la personne a accompli, pour qu'un "
        "employeur puisse les vérifier.",
        "Un justificatif numérique dont les métadonnées relient les compétences, "
        "l'évaluation et des exemples des travaux de la personne.",
    ),
    (
        "Normes de validation",
        "Les établissements valident chaque microcertification selon des normes "
        "communes avant de l'offrir et à chaque révision.",
        "Une liste de vérification de la validation remplie et la date de la "
        "prochaine révision.",
    ),
    (
        "Reconnaissance par les partenaires",
        "Au moins un employeur ou un partenaire de l'industrie appuie la "
        "microcertification et participe à sa révision.",
        "L'appui du partenaire, qui nomme la personne responsable et le cycle de "
        "révision.",
    ),
]

ROLES = [
    ["Étape", "Établissement", "Partenaire de l'industrie", "Groupe de travail"],
    [
        "Conception",
        "Définit les résultats d'apprentissage",
        "Nomme les compétences recherchées",
        "Publie le cadre",
    ],
    [
        "Évaluation",
        "Évalue les personnes apprenantes",
        "Révise les tâches",
        "Diffuse des exemples",
    ],
    ["Révision", "Valide chaque année", "Renouvelle son appui", "Révise le cadre"],
]
ROLES_CAPTION = "Qui fait quoi"

HEADINGS = {
    "purpose": "Objet",
    "scope": "Portée",
    "principles": "Principes",
    "roles": "Rôles et responsabilités",
    "review": "Révision du cadre",
    "about": "À propos de ces principes",
    "five": "Les cinq principes",
}
PURPOSE = (
    "Ce cadre décrit comment les collèges et les universités de l'Ontario "
    "conçoivent, évaluent et reconnaissent les microcertifications, pour que les "
    "personnes apprenantes, les employeurs et les établissements puissent s'y fier "
    "et les comparer."
)
SCOPE = (
    "Le cadre s'applique aux microcertifications offertes par les collèges et les "
    "universités de l'Ontario financés par les fonds publics."
)
REVIEW = "Le groupe de travail révise ce cadre tous les deux ans."
ABOUT = (
    "Ces principes résument le cadre pour les personnes qui ont besoin d'une liste "
    f"de vérification{NBSP}: les conceptrices et concepteurs de programmes, les "
    "réviseuses et réviseurs et les employeurs partenaires."
)

FRAMEWORK_TAGS = ["Évaluation", "Marché du travail", "Qualité"]
PRINCIPLES_TAGS = ["Qualité", "Employeurs"]


def _heading(key, anchor):
    return ("heading", {"text": HEADINGS[key], "level": "h2", "anchor": anchor})


def _principles(heading_key):
    return (
        "principles",
        {
            "heading": HEADINGS[heading_key],
            "principles": [
                {"name": name, "statement": statement, "evidence": evidence}
                for name, statement, evidence in PRINCIPLES
            ],
        },
    )


def framework_body():
    return [
        _heading("purpose", "purpose"),
        english._paragraph(PURPOSE),
        _heading("scope", "scope"),
        english._paragraph(SCOPE),
        _principles("principles"),
        _heading("roles", "roles"),
        (
            "table",
            {
                "data": ROLES,
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": ROLES_CAPTION,
            },
        ),
        _heading("review", "review"),
        english._paragraph(REVIEW),
    ]


def principles_body():
    return [
        _heading("about", "about"),
        english._paragraph(ABOUT),
        _principles("five"),
    ]


def translate(english_page, locale, slug, tags=(), **fields):
    """The French translation of `english_page`, made and published if absent.

    The copy is the English page's live content (Wagtail copies the page row,
    not its pending drafts); the French text then replaces it.
    """
    existing = english_page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific, False
    page = english_page.copy_for_translation(locale)
    page.slug = slug
    for name, value in fields.items():
        setattr(page, name, value)
    if tags:
        # Topics in French: the French index's filter lists its pages' tags.
        page.tags.set(list(tags))
    page.save()
    page.save_revision().publish()
    return page, True


def seed(stdout):
    locale = Locale.objects.filter(language_code="fr").first()
    english_index = FrameworkIndexPage.objects.filter(
        locale=Locale.get_default()
    ).first()
    if locale is None or english_index is None:
        return
    index, _created = translate(
        english_index,
        locale,
        INDEX_SLUG,
        title=INDEX_TITLE,
        summary=(
            "Le cadre de la microcertification et les principes qui le fondent, "
            "rédigés par le Groupe de travail sur la microcertification."
        ),
        intro=(
            "<p>Le cadre de la microcertification et les principes qui le "
            f"fondent{NBSP}: pertinence pour le marché du travail, évaluation, "
            "preuves, normes de validation et reconnaissance par les "
            "partenaires. Lisez-les en ligne ou téléchargez-les.</p>"
        ),
    )
    pages = FrameworkPage.objects.child_of(english_index)
    english_principles = pages.filter(slug=english.PRINCIPLES_SLUG).first()
    if english_principles is not None:
        page, created = translate(
            english_principles,
            locale,
            PRINCIPLES_SLUG,
            title=PRINCIPLES_TITLE,
            tags=PRINCIPLES_TAGS,
            version="1.0",
            change_summary="Première version publiée.",
            summary=(
                "Les cinq principes que chaque microcertification devrait "
                "respecter, et les preuves qui le montrent."
            ),
            body=principles_body(),
        )
        if created:
            english.publish_pdfs(page)
    english_framework = pages.filter(slug=english.FRAMEWORK_SLUG).first()
    if english_framework is None:
        return
    framework, created = translate(
        english_framework,
        locale,
        FRAMEWORK_SLUG,
        title=FRAMEWORK_TITLE,
        tags=FRAMEWORK_TAGS,
        version="1.0",
        change_summary="Première version publiée.",
        summary=(
            "Comment les établissements de l'Ontario conçoivent, évaluent et "
            "reconnaissent les microcertifications, et les cinq principes qui les "
            "fondent."
        ),
        body=framework_body(),
    )
    if created:
        english.publish_pdfs(framework)
    framework = FrameworkPage.objects.get(pk=framework.pk)
    cms_seed.link_phrase(
        cms_french.DOWNLOAD_FRAMEWORK, href=framework.get_url() + "pdf/"
    )
    stdout.write("Seeded the French framework and principles, with their PDFs.")
