"""The catalogue's narrow search rows stay in step with the entries (PostgreSQL)."""

import pytest
from django.core.management import call_command
from taggit.models import Tag

from credentials.models import CredentialFacts, MicroCredential
from credentials.search import FACET_NAMES, INDEX_NAME
from search.base import SearchQuery
from search.registry import get_engine

from .factories import make_credential, make_provider

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def search(text="", **filters):
    return get_engine(INDEX_NAME).search(
        SearchQuery(
            text=text,
            filters={name: (value,) for name, value in filters.items()},
            facets=FACET_NAMES,
        )
    )


def titles(result):
    return [hit.title for hit in result.hits]


def test_an_edit_is_searchable_at_once():
    entry = make_credential("Welding Basics", skills=["Welding"])
    entry.title = "Underwater Welding"
    entry.delivery_mode = "in_person"
    entry.save()
    entry.skills.add("Diving")
    entry.save()

    result = search("underwater", mode="in_person")
    assert titles(result) == ["Underwater Welding"]
    skills = {value.value for value in result.facets["skill"].values}
    assert skills == {"welding", "diving"}
    assert titles(search("basics")) == []


def test_unpublishing_and_archiving_take_the_entry_out_of_search():
    entry = make_credential("Forklift Safety")
    assert search("forklift").total == 1

    entry.unpublish()
    assert search("forklift").total == 0
    assert CredentialFacts.objects.get(pk=entry.pk).public is False

    entry.save_revision().publish()
    assert search("forklift").total == 1
    entry.status = MicroCredential.Status.ARCHIVED
    entry.save()
    assert search("forklift").total == 0


def test_deleting_an_entry_deletes_its_search_row():
    entry = make_credential("Crane Operation", skills=["Cranes"])
    pk = entry.pk
    entry.delete()
    assert not CredentialFacts.objects.filter(pk=pk).exists()
    assert search("crane").total == 0


def test_a_stale_search_row_never_shows_a_hidden_entry():
    entry = make_credential("Scaffold Inspection")
    # A change that bypassed save(): the entry is a draft, its row says public.
    MicroCredential.objects.filter(pk=entry.pk).update(status="draft")

    result = search("scaffold")
    assert titles(result) == []


def test_renaming_a_provider_or_skill_shows_in_facets_without_a_rebuild():
    provider = make_provider("Northern College")
    make_credential("Mine Rescue", provider=provider, skills=["First aid"])
    provider.name = "Northern Polytechnic"
    provider.save()
    Tag.objects.filter(name="First aid").update(name="First aid and CPR")

    result = search("mine")
    assert [v.label for v in result.facets["provider"].values] == [
        "Northern Polytechnic"
    ]
    assert [v.label for v in result.facets["skill"].values] == ["First aid and CPR"]


def test_rebuild_search_restores_lost_rows(capsys):
    make_credential("Drone Piloting", skills=["Aviation"])
    make_credential("Drone Mapping", skills=["Aviation", "GIS"])
    CredentialFacts.objects.all().delete()
    assert search("drone").total == 0

    call_command("rebuild_search", "--only", INDEX_NAME)

    assert "2 entries indexed" in capsys.readouterr().out
    result = search("drone", skill="gis")
    assert titles(result) == ["Drone Mapping"]
