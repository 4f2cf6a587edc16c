"""Index maintenance: document text extraction and `manage.py rebuild_search`."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Collection

from search.documents import extract_text
from search.models import DocumentText

pytestmark = pytest.mark.django_db

Document = get_document_model()


def docx_bytes(*paragraphs):
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def upload(title, filename, content):
    document = Document(title=title, collection=Collection.get_first_root_node())
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


def test_words_inside_a_docx_are_found(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload("Minutes", "minutes.docx", docx_bytes("We agreed on", "tapir rules."))
    response = client.get("/search/", {"q": "tapir"})
    assert response.context["result"].counts["documents"] == 1
    assert "<mark>tapir</mark>" in response.text


def test_a_damaged_file_is_still_found_by_its_title(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = upload("Broken annex", "annex.pdf", b"%PDF-1.4 not really a pdf")
    text = DocumentText.objects.get(document=document)
    assert text.text == ""
    assert text.error
    assert (
        client.get("/search/", {"q": "annex"}).context["result"].counts["documents"]
        == 1
    )


def test_plain_text_and_unknown_formats():
    assert extract_text(io.BytesIO(b"caption one\ncaption two"), "a.vtt") == (
        "caption one caption two"
    )
    assert extract_text(io.BytesIO(b"\x00\x01"), "picture.xlsx") == ""


def test_rebuild_search_reads_every_document_again(client):
    # Saved outside a commit: no extraction task ran, so the text is unknown.
    upload("Old upload", "old.docx", docx_bytes("The wombat appendix."))
    assert not DocumentText.objects.exists()
    assert client.get("/search/", {"q": "wombat"}).context["result"].all_total == 0
    out = io.StringIO()
    call_command("rebuild_search", stdout=out)
    assert "site:" in out.getvalue()
    assert "[" in out.getvalue() and "]" in out.getvalue()  # the progress bar
    assert client.get("/search/", {"q": "wombat"}).context["result"].all_total == 1
