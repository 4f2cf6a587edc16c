"""seed_demo's French tree (issue 21)."""

import os

import pytest
from wagtail.models import Page

from cms import seed_french
from cms.models import ContactPage, HomePage

pytestmark = pytest.mark.django_db


def test_french_pages_are_translations_with_french_slugs(french_site):
    english_home = HomePage.default()
    assert french_site.translation_key == english_home.translation_key
    assert french_site.locale.language_code == "fr"
    french = Page.objects.filter(locale__language_code="fr").live()
    slugs = set(french.values_list("slug", flat=True))
    assert {
        "microcertification",
        "quest-ce-quune-microcertification",
        "pourquoi-la-microcertification-maintenant",
        "ecosysteme-harmonise",
        "forum-annuel",
        "nous-joindre",
    } <= slugs
    for page in french.exclude(pk=french_site.pk):
        english = page.get_translation(english_home.locale)
        assert english.slug != page.slug or page.slug == "contact"


def test_french_contact_form_asks_in_french(client, french_site):
    contact = ContactPage.objects.get(locale__language_code="fr")
    labels = list(contact.form_fields.values_list("label", flat=True))
    assert labels == ["Votre nom", "Votre adresse courriel", "Organisme", "Message"]
    html = client.get("/fr/nous-joindre/").content.decode()
    assert "Votre adresse courriel" in html
    assert "Envoyer le message" in html


def test_the_rmit_quote_in_french(client, french_site):
    html = client.get("/fr/quest-ce-quune-microcertification/").content.decode()
    assert "Un justificatif numérique est la certification officielle" in html
    assert "Université RMIT" in html


def test_seeding_twice_changes_nothing(french_site):
    before = list(
        Page.objects.filter(locale__language_code="fr").values_list("pk", "path")
    )
    seed_french.seed(stdout=open(os.devnull, "w"))  # noqa: SIM115
    after = list(
        Page.objects.filter(locale__language_code="fr").values_list("pk", "path")
    )
    assert before == after
    assert HomePage.objects.count() == 2
