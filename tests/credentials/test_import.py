"""Importing catalogue files: all rows or none, with a report of every bad row."""

import csv
import io
import json
import time

import pytest
from django.core.management import CommandError, call_command

from credentials.models import MicroCredential
from credentials.services import ImportFailed, import_credentials, parse_file

from .factories import make_provider

pytestmark = pytest.mark.django_db

COLUMNS = [
    "provider",
    "external_id",
    "title",
    "description",
    "learning_outcomes",
    "skills",
    "level",
    "workload_hours",
    "duration_weeks",
    "delivery_mode",
    "language",
    "cost_cad",
    "osap_eligible",
    "start_dates",
    "external_url",
    "status",
    "last_reviewed",
    "assessment",
    "quality_assurance",
]


def row(number, **changes):
    values = {
        "provider": "Lakeshore College",
        "external_id": f"LC-{number}",
        "title": f"Data Analytics {number}",
        "description": "Analyse business data.",
        "learning_outcomes": "Write SQL\nBuild dashboards",
        "skills": "SQL; data analytics",
        "level": "introductory",
        "workload_hours": "30",
        "duration_weeks": "6",
        "delivery_mode": "online",
        "language": "en",
        "cost_cad": "0",
        "osap_eligible": "no",
        "start_dates": "2027-01-11; 2027-03-15",
        "external_url": "https://example.org/lc",
        "status": "published",
        "last_reviewed": "2026-05-01",
        "assessment": "Capstone project",
        "quality_assurance": "Approved by the Board of Governors",
    }
    values.update(changes)
    return values


def csv_bytes(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def provider(db):
    return make_provider("Lakeshore College")


def test_a_good_csv_file_imports_every_row(provider, tmp_path, client):
    path = tmp_path / "catalogue.csv"
    path.write_bytes(
        csv_bytes([row(1), row(2, status="draft", cost_cad="650.50", assessment="")])
    )
    out = io.StringIO()
    call_command("import_credentials", str(path), stdout=out)
    assert "2 new" in out.getvalue()
    first = MicroCredential.objects.get(external_id="LC-1")
    assert first.is_public and first.provider == provider
    assert sorted(tag.name for tag in first.skills.all()) == ["SQL", "data analytics"]
    assert [d.date.isoformat() for d in first.start_dates.all()] == [
        "2027-01-11",
        "2027-03-15",
    ]
    assert first.completeness == 9
    assert MicroCredential.objects.get(external_id="LC-2").completeness == 8
    second = MicroCredential.objects.get(external_id="LC-2")
    assert not second.is_public and str(second.cost_cad) == "650.50"
    # The published one can be found straight away, the draft cannot.
    results = client.get("/api/v1/credentials?q=analytics").json()["results"]
    assert [r["title"] for r in results] == ["Data Analytics 1"]


def test_a_json_file_imports_too(provider):
    data = json.dumps([{**row(1), "skills": ["SQL", "Python"], "start_dates": []}])
    report = import_credentials(rows=parse_file(data.encode(), "x.json"))
    assert report.created == 1
    credential = MicroCredential.objects.get()
    assert sorted(tag.name for tag in credential.skills.all()) == ["Python", "SQL"]


def test_bad_rows_import_nothing_and_every_error_is_reported(provider, tmp_path):
    rows = [
        row(1),
        row(2, provider="Nowhere University"),
        row(3, level="expert", cost_cad="cheap"),
        row(4, start_dates="next week", external_url="not a url"),
        row(5, title=""),
        row(1, title="Same id again"),
        row(6, osap_eligible="maybe", duration_weeks="-2"),
    ]
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_credentials", str(path), stderr=err)
    assert MicroCredential.objects.count() == 0
    report = err.getvalue()
    for expected in [
        "Row 2, provider: No provider named “Nowhere University”",
        "Row 3, level:",
        "Row 3, cost_cad:",
        "Row 4, start_dates: next week is not a date",
        "Row 4, external_url:",
        "Row 5, title:",
        "Row 6, external_id: Row 1 has the same provider and external id.",
        "Row 7, osap_eligible: Use yes or no.",
        "Row 7, duration_weeks:",
    ]:
        assert expected in report, expected


def test_file_level_problems_are_reported(provider):
    with pytest.raises(ImportFailed) as failed:
        parse_file(b"title,provider\nx,y\n", "x.csv")
    assert [(e.column, e.message) for e in failed.value.errors] == [
        ("external_id", "The required column is missing.")
    ]
    with pytest.raises(ImportFailed, match="Nothing was imported"):
        parse_file(b"{not json", "x.json")
    with pytest.raises(ImportFailed):
        parse_file(b"\xff\xfe\x00", "x.csv")


def test_an_update_changes_the_entry_matched_by_provider_and_external_id(provider):
    import_credentials(rows=[row(1), row(2)])
    first = MicroCredential.objects.get(external_id="LC-1")
    report = import_credentials(
        rows=[
            row(1, title="Data Analytics Renamed", skills="Python", status="archived")
        ]
    )
    assert (report.created, report.updated) == (0, 1)
    assert MicroCredential.objects.count() == 2
    first.refresh_from_db()
    assert first.title == "Data Analytics Renamed"
    assert first.slug == "data-analytics-1"  # the address stays the same
    assert [tag.name for tag in first.skills.all()] == ["Python"]
    assert not first.is_public
    # The same external id at another provider is another entry.
    make_provider("Rideau College")
    import_credentials(rows=[row(1, provider="rideau-college")])
    assert MicroCredential.objects.filter(external_id="LC-1").count() == 2


def test_a_5000_row_file_imports_quickly_with_progress(provider, tmp_path):
    rows = [
        row(n, title=f"Generated credential {n}", skills=f"skill {n % 40}; SQL")
        for n in range(5000)
    ]
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()
    started = time.monotonic()
    call_command("import_credentials", str(path), stdout=out)
    elapsed = time.monotonic() - started
    assert MicroCredential.objects.count() == 5000
    assert "2,500 of 5,000 rows checked" in out.getvalue()
    assert "5,000 of 5,000 rows imported" in out.getvalue()
    assert elapsed < 90
    assert (
        MicroCredential.objects.public().filter(skills__name="skill 7").count() == 125
    )


def test_export_reimports_unchanged(provider, client):
    import_credentials(rows=[row(1), row(2)])
    exported = b"".join(client.get("/catalogue/export.csv").streaming_content)
    report = import_credentials(rows=parse_file(exported, "export.csv"))
    assert (report.created, report.updated) == (0, 2)


def test_members_cannot_import(client, user, provider):
    client.force_login(user)
    response = client.get("/admin/catalogue/import/")
    assert response.status_code in (302, 403)
    assert MicroCredential.objects.count() == 0
