"""Ranking, prefixes, stemming and "did you mean" in the database engine."""

import pytest

from credentials.search import INDEX_NAME
from search.base import SearchQuery
from search.registry import get_engine
from tests.credentials.factories import make_credential

pytestmark = pytest.mark.django_db


def search(text, **options):
    return get_engine(INDEX_NAME).search(SearchQuery(text=text, **options))


def titles(result):
    return [hit.title for hit in result.hits]


def test_title_outranks_skills_outranks_outcomes_outranks_description():
    make_credential("Cooking Basics", description="Includes a little robotics.")
    make_credential("Welding Basics", learning_outcomes="Maintain robotics cells")
    make_credential("Painting Basics", skills=["robotics"])
    make_credential("Robotics Basics")
    make_credential("Unrelated Basics")
    result = search("robotics")
    assert titles(result) == [
        "Robotics Basics",
        "Painting Basics",
        "Welding Basics",
        "Cooking Basics",
    ]


def test_prefixes_match_as_you_type():
    make_credential("Data Analytics Foundations")
    make_credential("Cybersecurity Basics")
    assert titles(search("analy")) == ["Data Analytics Foundations"]
    assert titles(search("data analy")) == ["Data Analytics Foundations"]
    assert titles(search("cyber")) == ["Cybersecurity Basics"]


@pytest.mark.postgres
def test_each_language_is_matched_with_its_own_stemming():
    make_credential("Data Basics")
    make_credential("Welding Start Dates")
    make_credential("Analyse de données", language="fr")
    # French stems "data" to "dat", which must not find the English "dates".
    assert titles(search("data")) == ["Data Basics"]
    # French words find French entries, however they are inflected.
    assert titles(search("analyses")) == ["Analyse de données"]
    assert titles(search("donnée")) == ["Analyse de données"]


def test_every_word_must_match():
    make_credential("Data Analytics Foundations")
    make_credential("Data Engineering")
    assert titles(search("data engineering")) == ["Data Engineering"]


def test_misspelt_query_offers_did_you_mean():
    make_credential("Data Analytics Foundations", skills=["statistics"])
    result = search("analitycs")
    assert result.total == 0
    assert result.suggestions == ["analytics"]
    result = search("data statistcs")
    assert result.suggestions == ["data statistics"]
    # A correct query gets no suggestion, and neither does gibberish.
    assert search("analytics").suggestions == []
    assert search("qqqzzzxxx").suggestions == []


def test_did_you_mean_never_proposes_hidden_entries():
    make_credential("Quantum Computing", status="draft")
    assert search("quantm").suggestions == []


@pytest.mark.postgres
def test_english_stemming():
    make_credential("Managing Project Teams", description="For team leads.")
    make_credential("Welding Basics")
    # Plurals and other forms of a word find its stem, not just its prefix.
    assert titles(search("managed projects")) == ["Managing Project Teams"]
    assert titles(search("teams management")) == ["Managing Project Teams"]


@pytest.mark.postgres
def test_french_entries_are_stemmed_in_french():
    make_credential(
        "Gestion des projets communautaires", language="fr", description="Des équipes."
    )
    make_credential("Community Projects", language="en")
    assert titles(search("projet communautaire")) == [
        "Gestion des projets communautaires"
    ]
    assert titles(search("équipe")) == ["Gestion des projets communautaires"]


def test_query_length_is_capped():
    make_credential("Data Analytics Foundations")
    result = search("data " * 1000)
    assert 195 <= len(result.query.text) <= 200
    assert titles(result) == ["Data Analytics Foundations"]
