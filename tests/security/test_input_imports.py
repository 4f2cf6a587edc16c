"""Catalogue imports refuse broken files with a report, importing nothing.

Before, a CSV file with a NUL byte and a deeply nested JSON file gave a server
error, and a CSV file with an unterminated quote or 10,000 columns was taken.
The same file goes through the service, the `import_credentials` command and
the admin's upload form; each refuses it the same way.
"""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils.html import escape

from credentials.models import ImportJob, MicroCredential
from credentials.services import MAX_COLUMNS, ImportFailed, parse_file
from tests.credentials.factories import make_provider
from tests.credentials.test_import import csv_bytes, row

pytestmark = pytest.mark.django_db

IMPORT = "/admin/catalogue/import/"
HEADER = b"provider,external_id,title,description\n"


def _csv(*lines):
    return HEADER + b"".join(line + b"\n" for line in lines)


BAD_FILES = {
    "nul.csv": (
        _csv(b"Lakeshore College,LC-1,Data\x00Analytics,Text"),
        "Row 1, title: The value holds a NUL byte",
    ),
    "control.csv": (
        _csv(b"Lakeshore College,LC-1,Data Analytics,Bell\x07"),
        "Row 1, description: The value holds a NUL byte or another control",
    ),
    "unterminated.csv": (
        _csv(
            b'Lakeshore College,LC-1,"Data Analytics,Text',
            b"Lakeshore College,LC-2,Second,Text",
        ),
        "cannot be read from line 2: a quoted value is never closed",
    ),
    "stray-quote.csv": (
        _csv(b'Lakeshore College,LC-1,"Data" Analytics,Text'),
        "cannot be read from line 2: ',' expected after '\"'",
    ),
    "wide.csv": (
        (",".join(f"c{n}" for n in range(10_000)) + "\n").encode()
        + (",".join("x" for _n in range(10_000)) + "\n").encode(),
        f"The file has 10,000 columns; at most {MAX_COLUMNS} are read.",
    ),
    "wide.json": (
        json.dumps(
            [{"provider": "p", "external_id": "1", "title": "t"}]
            + [{f"c{n}": "x" for n in range(500)}]
        ).encode(),
        f"The file has 503 columns; at most {MAX_COLUMNS} are read.",
    ),
    "extra-values.csv": (
        _csv(b"Lakeshore College,LC-1,Data Analytics,Text,lost,values"),
        "Row 1: The row has 6 values but the header names 4 columns.",
    ),
    "twice.csv": (
        b"provider,external_id,title,title\nLakeshore College,LC-1,A,B\n",
        "File, title: The column appears more than once.",
    ),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "nested.json": (
        json.dumps(
            [
                {
                    "provider": "Lakeshore College",
                    "external_id": "LC-1",
                    "title": {"en": [[["deep"]]]},
                }
            ]
        ).encode(),
        "Row 1, title: A value must be text, a number, true/false or a list",
    ),
    "escaped-nul.json": (
        json.dumps(
            [
                {
                    "provider": "Lakeshore College",
                    "external_id": "LC-1",
                    "title": "Data\u0000",
                    "skills": ["SQL", "bad\u0000"],
                }
            ]
        ).encode(),
        "Row 1, title: The value holds a NUL byte",
    ),
}


@pytest.fixture
def provider(db):
    return make_provider("Lakeshore College")


def _report(errors):
    return "\n".join(str(error) for error in errors)


@pytest.mark.parametrize("name", BAD_FILES)
def test_the_service_refuses_a_broken_file_with_a_report(provider, name):
    content, expected = BAD_FILES[name]
    with pytest.raises(ImportFailed) as failed:
        parse_file(content, name)
    assert expected in _report(failed.value.errors)
    assert failed.value.message.startswith("Nothing was imported")


@pytest.mark.parametrize("name", BAD_FILES)
def test_the_command_refuses_a_broken_file(provider, tmp_path, name):
    content, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_credentials", str(path), stderr=err, stdout=io.StringIO())
    assert expected in err.getvalue()
    assert not MicroCredential.objects.exists()


@pytest.mark.parametrize("name", BAD_FILES)
def test_the_admin_upload_refuses_a_broken_file(client, staff_with_mfa, provider, name):
    content, expected = BAD_FILES[name]
    client.force_login(staff_with_mfa)
    response = client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert escape(expected.split(": ", 1)[-1]) in page
    assert not ImportJob.objects.exists()
    assert not MicroCredential.objects.exists()


def test_well_formed_files_still_import(provider):
    quoted = csv_bytes([row(1, title='The "Data, Analytics" course\tpart 1')])
    assert parse_file(quoted, "ok.csv")[0]["title"] == (
        'The "Data, Analytics" course\tpart 1'
    )
    rows = parse_file(
        json.dumps({"credentials": [row(1, skills=["SQL", "R"], cost_cad=0)]}),
        "ok.json",
    )
    assert rows[0]["skills"] == ["SQL", "R"]
