"""Related and stackable entries on an entry page: right, cheap and never stale."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credentials import views
from credentials.models import MicroCredential

from .factories import make_credential

pytestmark = pytest.mark.django_db


def _related(client, credential):
    html = client.get(credential.get_absolute_url()).content.decode()
    section = re.search(r'id="related-heading".*?</section>', html, re.S)
    if not section:
        return []
    return re.findall(r'card__title"><a href="[^"]+">([^<]+)</a>', section.group())


def test_entries_sharing_most_skills_come_first_public_ones_only(client):
    entry = make_credential("Data Analytics", skills=["SQL", "Python", "Tableau"])
    make_credential("Shares one", skills=["SQL", "Welding"])
    make_credential("Shares three", skills=["SQL", "Python", "Tableau"])
    make_credential("Shares none", skills=["Welding"])
    make_credential("Shares two", skills=["Python", "Tableau"])
    make_credential(
        "Draft shares three", skills=["SQL", "Python", "Tableau"], status="draft"
    )
    make_credential(
        "Archived shares three", skills=["SQL", "Python", "Tableau"], status="archived"
    )
    unpublished = make_credential(
        "Unpublished shares three", skills=["SQL", "Python", "Tableau"]
    )
    unpublished.live = False
    unpublished.save()

    assert _related(client, entry) == ["Shares three", "Shares two", "Shares one"]


def test_at_most_four_and_the_newest_first_among_equals(client):
    entry = make_credential("Data Analytics", skills=["SQL", "Python"])
    for number in range(6):
        make_credential(f"Course {number}", skills=["SQL"])
    make_credential("Best match", skills=["SQL", "Python"])

    assert _related(client, entry) == ["Best match", "Course 5", "Course 4", "Course 3"]


def test_an_entry_without_skills_has_no_related_entries(client):
    entry = make_credential("Data Analytics")
    make_credential("Other")
    assert _related(client, entry) == []


def test_many_hidden_candidates_do_not_hide_public_ones(client, monkeypatch):
    monkeypatch.setattr(views, "RELATED_FIRST_ROUND", 2)
    entry = make_credential("Data Analytics", skills=["SQL", "Python"])
    make_credential("Public, one skill", skills=["SQL"])
    for number in range(5):
        make_credential(f"Draft {number}", skills=["SQL", "Python"], status="draft")

    assert _related(client, entry) == ["Public, one skill"]


def test_the_ranking_reads_two_queries_and_only_the_card_fields(client):
    entry = make_credential("Data Analytics", skills=["SQL", "Python"])
    for number in range(8):
        make_credential(f"Course {number}", skills=["SQL"])
    entry = MicroCredential.objects.prefetch_related("skills").get(pk=entry.pk)
    with CaptureQueriesContext(connection) as queries:
        related = views.related_credentials(entry)
    assert len(related) == 4
    assert len(queries) == 2
    ranking, cards = (q["sql"] for q in queries.captured_queries)
    # The ranking never touches the wide entry table; the cards read few columns.
    assert '"credentials_microcredential"' not in ranking
    assert "LIMIT 50" in ranking
    assert '"description"' not in cards and '"search_vector"' not in cards


def test_related_entries_are_cached_until_the_catalogue_changes(client):
    entry = make_credential("Data Analytics", skills=["SQL", "Python"])
    other = make_credential("Shares one", skills=["SQL"])
    assert _related(client, entry) == ["Shares one"]
    with CaptureQueriesContext(connection) as queries:
        assert _related(client, entry) == ["Shares one"]
    assert not [q for q in queries.captured_queries if 'AS "shared"' in q["sql"]]

    # A new entry that shares more.
    better = make_credential("Shares two", skills=["SQL", "Python"])
    assert _related(client, entry) == ["Shares two", "Shares one"]
    # Renamed.
    other.title = "Renamed course"
    other.save()
    assert _related(client, entry) == ["Shares two", "Renamed course"]
    # Unpublished, archived, deleted.
    better.live = False
    better.save()
    assert _related(client, entry) == ["Renamed course"]
    better.live = True
    better.status = "archived"
    better.save()
    assert _related(client, entry) == ["Renamed course"]
    other.delete()
    assert _related(client, entry) == []
    # The entry's own skills changed.
    entry.skills.add("Welding")
    entry.save()
    make_credential("Welding basics", skills=["Welding"])
    assert _related(client, entry) == ["Welding basics"]


def test_stackable_entries_follow_changes(client):
    entry = make_credential("Data Analytics")
    base = make_credential("Data Foundations")
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "Builds on" not in html and "Stacks into" not in html

    entry.stacks_into.add(base)
    entry.save()
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "Stacks into" in html and "Data Foundations" in html
    html = client.get(base.get_absolute_url()).content.decode()
    assert "Builds on" in html and "Data Analytics" in html

    base.status = "archived"
    base.save()
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "Stacks into" not in html and "Data Foundations" not in html
