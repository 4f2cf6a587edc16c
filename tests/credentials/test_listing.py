"""What listings read for each entry: its skills for a whole page in one query, in
the order given, and its links reversed once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credentials.managers import skill_list_prefetch
from credentials.models import MicroCredential
from credentials.serializers import flat_row

from .factories import make_credential

pytestmark = pytest.mark.django_db

ORDER = ["stakeholder management", "agile", "Scrum", "Python"]


def test_a_page_of_entries_reads_its_skills_in_one_query():
    for number in range(6):
        make_credential(f"Entry {number}", skills=ORDER[number % 3 :])
    make_credential("No skills")
    with CaptureQueriesContext(connection) as queries:
        entries = list(MicroCredential.objects.for_listing().order_by("title"))
        names = {e.title: [tag.name for tag in e.skill_list] for e in entries}
    assert len(queries) == 2
    assert names["Entry 0"] == ORDER
    assert names["Entry 1"] == ORDER[1:]
    assert names["No skills"] == []
    # Each skill's tag has what links to it need.
    tags = {tag.name: tag for e in entries for tag in e.skill_list}
    assert tags["Scrum"].slug == "scrum" and tags["Scrum"].pk


def test_the_same_order_as_the_tag_manager_with_or_without_the_prefetch():
    entry = make_credential(skills=ORDER)
    entry.skills.add("data")
    entry.save()
    expected = [tag.name for tag in entry.skills.all()]
    assert expected == [*ORDER, "data"]
    fresh = MicroCredential.objects.get(pk=entry.pk)
    assert [tag.name for tag in fresh.skill_list] == expected
    prefetched = MicroCredential.objects.prefetch_related(skill_list_prefetch()).get(
        pk=entry.pk
    )
    assert [tag.name for tag in prefetched.skill_list] == expected
    assert flat_row(prefetched)["skills"] == "; ".join(expected)


def test_unsaved_tags_of_a_preview_show():
    entry = make_credential(skills=["SQL"])
    entry.skills.add("Python")  # kept in memory by the cluster until saved
    assert [tag.name for tag in entry.skill_list] == ["SQL", "Python"]


def test_cards_api_and_entry_page_list_skills_in_the_order_given(client, home_page):
    from credentials.seed import catalogue_page

    catalogue_page()
    entry = make_credential("Agile Leadership", skills=ORDER)
    make_credential("Other", skills=list(reversed(ORDER)))
    html = client.get("/catalogue/?q=agile").content.decode()
    assert html.index(">stakeholder management<") < html.index(">Python<")
    data = client.get("/api/v1/credentials?q=agile").json()
    assert data["results"][0]["skills"] == ORDER
    assert client.get(f"/api/v1/credentials/{entry.slug}").json()["skills"] == ORDER
    html = client.get(entry.get_absolute_url()).content.decode()
    assert html.index("?skill=stakeholder-management") < html.index("?skill=python")


@pytest.mark.parametrize("name", ["credentials:detail", "credentials:jsonld"])
def test_slug_url_maker_gives_what_reverse_gives(name):
    from django.urls import reverse, set_script_prefix

    from credentials.models import slug_url_maker

    for prefix in ("/", "/site/"):
        set_script_prefix(prefix)
        try:
            url = slug_url_maker(name)
            for slug in ("data-analytics-1", "x", "a_b-0-slug-0"):
                assert url(slug) == reverse(name, kwargs={"slug": slug})
        finally:
            set_script_prefix("/")
