"""Shared set-up for the consultation tests: a live framework with a 1.1 draft
open for comments, and members with and without a verified email."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from frameworks.consultation_models import Consultation
from frameworks.models import FrameworkPage
from tests.conftest import make_user

from .conftest import make_framework

SECTIONS = [
    ("Purpose", "Micro-certifications recognise skills."),
    ("Scope", "<p>Applies to colleges.</p><ul><li>Short</li><li>Assessed</li></ul>"),
    ("Assessment", "Every micro-certification is assessed."),
]
OPEN_SECTIONS = SECTIONS


def save_draft(page, sections, *, version="1.1"):
    """A new draft revision of the page (not published)."""
    page = FrameworkPage.objects.get(pk=page.pk)
    page.version = version
    blocks = []
    for heading, text in sections:
        blocks.append(("heading", {"text": heading, "level": "h2", "anchor": ""}))
        blocks.append(("paragraph", text if text.startswith("<") else f"<p>{text}</p>"))
    page.body = blocks
    return page.save_revision()


def edit_draft(page, change):
    """A new draft revision made from the latest one, as the editor does: the
    blocks keep their ids. `change` gets and returns the raw block list."""
    page = FrameworkPage.objects.get(pk=page.pk)
    draft = page.get_latest_revision_as_object()
    raw = change(list(draft.body.get_prep_value()))
    draft.body = json.dumps(raw)
    return draft.save_revision()


def heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2", "anchor": ""}}


def paragraph(html):
    return {"type": "paragraph", "value": html}


def open_consultation(page, *, opens=-1, closes=7, version="1.1", questions=()):
    """A consultation on the page's latest draft, dates in days from now."""
    now = timezone.now()
    consultation = Consultation(
        page=page,
        version=version,
        opens_at=now + timedelta(days=opens),
        closes_at=now + timedelta(days=closes),
        introduction="Tell us what you think of the draft.",
    )
    for text in questions:
        consultation.questions.add(consultation.questions.model(text=text))
    consultation.save()
    return consultation


def set_dates(consultation, *, opens, closes):
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=now + timedelta(days=opens), closes_at=now + timedelta(days=closes)
    )
    consultation.refresh_from_db()
    return consultation


@pytest.fixture
def draft_framework(framework_index):
    page = make_framework(
        framework_index,
        "Micro-certification framework",
        document_type="framework",
        sections=[("Purpose", "The first version.")],
    )
    save_draft(page, SECTIONS)
    return FrameworkPage.objects.get(pk=page.pk)


@pytest.fixture
def consultation(draft_framework):
    return open_consultation(draft_framework, questions=["Is the scope right?"])


@pytest.fixture
def established_member(db):
    """A verified member who joined long ago (not held for moderation)."""
    user = make_user("ada@example.org", first_name="Ada", last_name="Long")
    user.date_joined = timezone.now() - timedelta(days=90)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def new_member(db):
    """A verified member who joined today: their comments wait for a moderator."""
    return make_user("nell@example.org", first_name="Nell", last_name="New")


@pytest.fixture
def unverified_member(db):
    return make_user("una@example.org", verified=False)


def comment_data(**extra):
    data = {
        "clause": "2.1",
        "type": "concern",
        "body": "The scope leaves out employers.",
        "replacement": "",
        "organisation": "Northern College",
        "organisation_type": "institution",
        "role": "Dean",
    }
    data.update(extra)
    return data
