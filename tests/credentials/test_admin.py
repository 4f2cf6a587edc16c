"""Staff manage the catalogue in the Wagtail admin; the score of each entry shows."""

import io

import pytest
from django.core.management import call_command

from credentials.models import EU_ELEMENTS, MicroCredential

from .factories import make_credential, make_provider

pytestmark = pytest.mark.django_db


def test_completeness_counts_the_eu_elements_an_entry_states():
    full = make_credential(
        "Full",
        assessment="Exam",
        quality_assurance="Board approved",
        learning_outcomes="Do things",
    )
    assert full.completeness == len(EU_ELEMENTS) == 9
    sparse = make_credential(
        "Sparse",
        provider=make_provider("No Region", region=""),
        level="",
        workload_hours=None,
        delivery_mode="",
    )
    # title and provider only
    assert sparse.completeness == 2
    assert sparse.completeness_percent == 22


def test_staff_see_scores_per_entry_and_per_provider(client, staff_with_mfa):
    college = make_provider("Lakeshore College")
    make_credential(
        "Full",
        provider=college,
        assessment="Exam",
        quality_assurance="QA",
        learning_outcomes="x",
    )
    make_credential("Partial", provider=college)
    client.force_login(staff_with_mfa)
    entries = client.get("/admin/snippets/credentials/microcredential/")
    assert entries.status_code == 200
    html = entries.content.decode()
    assert "EU elements stated" in html and "9 / 9" in html and "6 / 9" in html
    # Searching finds entries by title or the provider's code, imported or not.
    found = client.get(entries.request["PATH_INFO"], {"q": "T-"}).content.decode()
    assert "Full" in found and "Partial" in found
    providers = client.get("/admin/snippets/credentials/provider/").content.decode()
    assert (
        "Average EU elements" in providers and "8 / 9" in providers
    )  # (9 + 6) / 2 rounded


def _form_data(credential, **changes):
    data = {
        "title": credential.title,
        "slug": credential.slug,
        "provider": credential.provider_id,
        "external_id": credential.external_id,
        "description": credential.description,
        "learning_outcomes": credential.learning_outcomes,
        "skills": "SQL",
        "level": credential.level,
        "language": credential.language,
        "workload_hours": credential.workload_hours,
        "duration_weeks": credential.duration_weeks,
        "delivery_mode": credential.delivery_mode,
        "cost_cad": "0",
        "assessment": "",
        "quality_assurance": "",
        "endorsements": "",
        "prerequisites": "",
        "pathway": "",
        "start_dates-TOTAL_FORMS": "0",
        "start_dates-INITIAL_FORMS": "0",
        "start_dates-MIN_NUM_FORMS": "0",
        "start_dates-MAX_NUM_FORMS": "1000",
        "external_url": "",
        "status": "published",
        "last_reviewed": "",
    }
    data.update(changes)
    return data


def test_staff_save_a_draft_then_publish_it(client, staff_with_mfa):
    credential = make_credential("Original title")
    client.force_login(staff_with_mfa)
    url = f"/admin/snippets/credentials/microcredential/edit/{credential.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data(credential, title="Renamed in draft"))
    assert response.status_code == 302, response.content.decode()[:2000]
    # The draft is saved as a revision; the public entry is unchanged.
    assert credential.revisions.count() == 1
    assert (
        "Original title" in client.get(credential.get_absolute_url()).content.decode()
    )
    response = client.post(
        url,
        _form_data(
            credential, title="Renamed and published", **{"action-publish": "1"}
        ),
    )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.title == "Renamed and published"
    assert [t.name for t in credential.skills.all()] == ["SQL"]
    page = client.get(credential.get_absolute_url()).content.decode()
    assert "Renamed and published" in page
    # The stored search vector followed the publish.
    from search.base import SearchQuery
    from search.registry import get_engine

    result = get_engine("credentials").search(SearchQuery(text="renamed"))
    assert [hit.pk for hit in result.hits] == [credential.pk]


def test_members_cannot_open_the_catalogue_admin(client, user):
    client.force_login(user)
    response = client.get("/admin/snippets/credentials/microcredential/")
    assert response.status_code in (302, 403)


def test_seed_bench_generates_entries_quickly_and_replaces_them(db):
    out = io.StringIO()
    call_command("seed_bench", "--credentials", "300", stdout=out)
    assert "Generated 300 catalogue entries" in out.getvalue()
    bench = MicroCredential.objects.filter(external_id__startswith="BENCH-")
    assert bench.count() == 300
    assert bench.public().count() == 300 - 15 - 6  # drafts and archived as in life
    call_command("seed_bench", "--credentials", "100", stdout=out)
    assert bench.count() == 100
    with pytest.raises(Exception, match="Say what to generate"):
        call_command("seed_bench")


def test_provider_editors_manage_entries_without_being_staff(client, home_page):
    from credentials import seed
    from tests.conftest import make_user

    editor = make_user("editor@college.example.org")
    editor.groups.add(seed.editors_group())
    credential = make_credential("Editable entry")
    credential.provider.editors.add(editor)
    client.force_login(editor)
    listing = client.get("/admin/snippets/credentials/microcredential/")
    assert listing.status_code == 200
    assert "Editable entry" in listing.content.decode()
    response = client.post(
        f"/admin/snippets/credentials/microcredential/edit/{credential.pk}/",
        _form_data(
            credential, title="Edited by the college", **{"action-publish": "1"}
        ),
    )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.title == "Edited by the college"
    assert client.get("/admin/catalogue/import/").status_code == 200
    # Nothing else in the admin: pages stay out of reach.
    assert client.get(f"/admin/pages/{home_page.pk}/edit/").status_code in (302, 403)
