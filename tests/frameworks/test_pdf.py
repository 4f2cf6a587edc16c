"""Each published version's PDF is the document: generated from its own content."""

import io

import pytest
from django.conf import settings
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from frameworks import constants, seed
from frameworks.models import FrameworkPage
from frameworks.text import table_of_contents

from .conftest import make_framework

pytestmark = pytest.mark.django_db


def _text(document):
    with document.open_file() as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def test_the_pdf_holds_every_heading_principle_and_table_of_the_version(seeded):
    version = seeded.versions.get(number="1.0")
    assert version.pdf is not None
    reader, text = _text(version.pdf)
    snapshot = seeded.with_content_json(version.content)
    headings = [entry[1] for entry in table_of_contents(snapshot.body)]
    assert {"Purpose", "Scope", "Principles", "Roles and responsibilities"} <= set(
        headings
    )
    for heading in headings:
        assert heading in text
    for name, statement, evidence in seed.PRINCIPLES:
        assert name in text
        assert " ".join(statement.split()) in text
        assert " ".join(evidence.split()) in text
    for row in seed.ROLES:
        for cell in row:
            assert cell in text
    assert seed.SCOPE_1_0 in text
    # Version, citation and the stable address on the site's real address.
    assert "Version 1.0, published" in text
    stable = f"{settings.SITE_URL}/frameworks/{seed.FRAMEWORK_SLUG}/v/1.0/"
    assert stable in text
    assert "localhost" not in text
    # Title and language metadata; one bookmark per heading.
    assert reader.metadata.title == f"{seed.FRAMEWORK_TITLE} 1.0"
    assert str(reader.trailer["/Root"]["/Lang"]) == settings.LANGUAGE_CODE
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Principles" in outline and "Roles and responsibilities" in outline


def test_a_new_version_gets_its_own_pdf_and_the_old_one_stays(
    framework_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_framework(
            framework_index, sections=(("Purpose", "Assessment of apprentices."),)
        )
    with django_capture_on_commit_callbacks(execute=True):
        page.version = "2.0"
        page.body = [
            ("heading", {"text": "Purpose", "level": "h2", "anchor": ""}),
            ("paragraph", "<p>Assessment of <b>journeyworkers</b>.</p>"),
            ("heading", {"text": "Appeals", "level": "h2", "anchor": ""}),
        ]
        page.save_revision().publish()
    old, new = (page.versions.get(number=n) for n in ("1.0", "2.0"))
    assert old.pdf != new.pdf
    _reader, old_text = _text(old.pdf)
    _reader, new_text = _text(new.pdf)
    assert "apprentices" in old_text and "journeyworkers" not in old_text
    assert "journeyworkers" in new_text and "Appeals" in new_text
    assert "Version 2.0" in new_text


def test_a_correction_regenerates_the_same_document(
    framework_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_framework(framework_index, sections=(("Purpose", "Tpyo here."),))
    document = page.versions.get().pdf
    with django_capture_on_commit_callbacks(execute=True):
        page = FrameworkPage.objects.get(pk=page.pk)
        page.body = [("paragraph", "<p>Typo fixed.</p>")]
        page.save_revision().publish()
    version = page.versions.get()
    assert version.pdf_id == document.pk
    _reader, text = _text(version.pdf)
    assert "Typo fixed." in text and "Tpyo" not in text


def test_the_stable_pdf_link_leads_to_the_current_version(client, seeded):
    response = client.get(f"/frameworks/{seed.FRAMEWORK_SLUG}/pdf/")
    assert response.status_code == 302
    current = seeded.versions.order_by("-published_at").first()
    assert response["Location"] == current.pdf.url
    download = client.get(response["Location"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    # The page offers it too.
    html = client.get(seeded.url).content.decode()
    assert current.pdf.url in html and "Version 1.0 as PDF" in html


def test_a_private_documents_pdf_stays_private(
    client, framework_index, django_capture_on_commit_callbacks
):
    page = make_framework(framework_index, title="Internal guide", publish=False)
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    pdf = page.versions.get().pdf
    assert pdf.collection.name == constants.DRAFTS_COLLECTION
    assert client.get(pdf.url).status_code in (302, 403, 404)
