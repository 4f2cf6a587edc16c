"""Pieces in the other language carry their own lang (WCAG 3.1.2, issue 21)."""

import re

import pytest

from tests.credentials.factories import make_credential

pytestmark = pytest.mark.django_db


def test_french_entry_in_an_english_catalogue_list_is_marked_french(client, db):
    make_credential(
        "Analyse de données appliquée",
        description="Un cours pratique d'analyse de données.",
        language="fr",
    )
    make_credential("Applied Data Analysis", description="A practical course.")
    html = client.get("/catalogue/").content.decode()
    assert re.search(r'<html lang="en"', html)
    french_title = re.search(
        r'<h3 class="result__title"([^>]*)><a [^>]*>Analyse de données appliquée</a>',
        html,
    )
    assert french_title and french_title.group(1) == ' lang="fr"'
    assert re.search(
        r'<p class="result__description" lang="fr">Un cours pratique', html
    )
    english_title = re.search(
        r'<h3 class="result__title"([^>]*)><a [^>]*>Applied Data Analysis</a>', html
    )
    assert english_title and 'lang="fr"' not in english_title.group(1)


def test_french_entry_page_marks_its_french_text(client, db):
    entry = make_credential(
        "Gestion de projet agile",
        description="Planifier et livrer en équipe.",
        language="fr",
    )
    response = client.get(entry.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html lang="en"', html)
    assert '<h1 lang="fr">Gestion de projet agile</h1>' in html
    assert 'lang="fr">Planifier et livrer en équipe.' in html


def test_bilingual_entry_claims_no_single_language(client, db):
    make_credential("Bilingual Leadership / Leadership bilingue", language="en-fr")
    html = client.get("/catalogue/").content.decode()
    title = re.search(
        r'<h3 class="result__title"([^>]*)><a [^>]*>Bilingual Leadership', html
    )
    assert title and title.group(1) == ""


def test_english_entry_on_a_french_page_is_marked_english(client, db):
    make_credential("Applied Data Analysis", description="A practical course.")
    html = client.get("/fr/catalogue/").content.decode()
    assert re.search(r'<html lang="fr"', html)
    assert re.search(
        r'<h3 class="result__title" lang="en"><a [^>]*>Applied Data Analysis</a>',
        html,
    )
