"""Text extraction from uploaded documents, so site search finds words inside them.

PDF through pypdf; DOCX through the standard library (a DOCX file is a zip of
XML parts); plain-text formats as they are. Anything else is searchable by its
title only. Extraction never raises: a damaged file records why in `error`.
"""

import logging
import re
import zipfile
from xml.etree import ElementTree

from django.db import connection

logger = logging.getLogger(__name__)

# Enough for a long report; the tsvector of PostgreSQL is capped at 1 MB.
MAX_TEXT_CHARS = 400_000
MAX_PDF_PAGES = 500
TEXT_EXTENSIONS = {"txt", "csv", "vtt", "md"}
_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# DOCX parts that hold the visible text, in reading order.
_DOCX_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")


class ExtractionError(Exception):
    pass


def _pdf_text(file):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(file)
        parts = []
        size = 0
        for page in reader.pages[:MAX_PDF_PAGES]:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size > MAX_TEXT_CHARS:
                break
        return "\n".join(parts)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ExtractionError(f"Unreadable PDF: {exc}") from exc


def _docx_text(file):
    try:
        with zipfile.ZipFile(file) as archive:
            names = sorted(n for n in archive.namelist() if _DOCX_PARTS.match(n))
            names.sort(key=lambda n: not n.startswith("word/document"))
            paragraphs = []
            for name in names:
                root = ElementTree.fromstring(archive.read(name))  # noqa: S314
                for paragraph in root.iter(f"{_WORD_NS}p"):
                    text = "".join(
                        node.text or "" for node in paragraph.iter(f"{_WORD_NS}t")
                    )
                    if text.strip():
                        paragraphs.append(text)
            return "\n".join(paragraphs)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError) as exc:
        raise ExtractionError(f"Unreadable DOCX: {exc}") from exc


def extract_text(file, filename):
    """The plain text of an open binary file, chosen by the file name's extension."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "pdf":
        text = _pdf_text(file)
    elif extension == "docx":
        text = _docx_text(file)
    elif extension in TEXT_EXTENSIONS:
        text = file.read(MAX_TEXT_CHARS * 4).decode("utf-8", errors="replace")
    else:
        text = ""
    text = text.replace("\x00", "")
    return " ".join(text.split())[:MAX_TEXT_CHARS]


def refresh_document_text(document_id):
    """Read the document's file again and store its text (and search vector).

    Returns the DocumentText, or None when the document no longer exists.
    """
    from wagtail.documents import get_document_model

    from .models import DocumentText

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        DocumentText.objects.filter(document_id=document_id).delete()
        return None
    error = ""
    text = ""
    try:
        with document.file.open("rb") as file:
            text = extract_text(file, document.file.name)
    except (ExtractionError, OSError) as exc:
        error = str(exc)[:200]
        logger.warning("No text from document %s: %s", document_id, error)
    record, _created = DocumentText.objects.update_or_create(
        document=document, defaults={"text": text, "error": error}
    )
    if connection.vendor == "postgresql":
        table = DocumentText._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET search_vector = "  # noqa: S608 (model table name)
                "setweight(to_tsvector('english', %s), 'A') || "
                "setweight(to_tsvector('english', text), 'D') WHERE id = %s",
                [document.title, record.pk],
            )
    return record
