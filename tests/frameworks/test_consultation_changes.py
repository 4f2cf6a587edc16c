"""What the comments changed: a response names the clause's revision in the
next version, the disposition links to it, and the version comparison shows
beside each changed clause the comments that led to it."""

import re

import pytest

from frameworks.consultation_models import Clause, Response
from frameworks.consultation_services import (
    ConsultationError,
    next_version_clauses,
    post_comment,
    publish_disposition,
    respond,
)
from frameworks.models import FrameworkPage

from .consultation_helpers import comment_data, edit_draft, set_dates

pytestmark = pytest.mark.django_db

DOCUMENT = "/frameworks/micro-certification-framework/"
URL = DOCUMENT + "consultation/1.1/"
REVISED = "Every micro-certification is assessed against its outcomes."


def _revise_assessment(blocks):
    # Section 3's paragraph (clause 3.1): heading, paragraph × 3 sections.
    blocks[5]["value"] = f"<p>{REVISED}</p>"
    return blocks


@pytest.fixture
def revised(consultation, established_member, draft_framework):
    """A proposed change on 3.1, the consultation closed, then the working
    group revises 3.1 in the draft: the next version's revision of it."""
    data = comment_data(type="change", body="Say how.", replacement=REVISED)
    data.pop("clause")
    comment = post_comment(
        author=established_member,
        consultation=consultation,
        clause_number="3.1",
        **data,
    )
    set_dates(consultation, opens=-9, closes=-1)
    edit_draft(draft_framework, _revise_assessment)
    return comment


def test_edits_after_closing_are_the_next_versions_clauses(
    client, revised, consultation
):
    changed = list(next_version_clauses(consultation))
    assert [(c.number, c.revision, c.text) for c in changed] == [("3.1", 2, REVISED)]
    # The closed consultation still shows the text that was commented on.
    html = client.get(URL + "clause/3.1/").content.decode()
    assert "Every micro-certification is assessed." in html
    overview = client.get(URL).content.decode()
    assert "Every micro-certification is assessed." in overview
    assert REVISED not in overview


def test_the_responder_names_the_changed_clause_and_the_diff_shows_the_comment(
    client, revised, consultation, draft_framework, staff_with_mfa, staff
):
    changed = Clause.objects.get(consultation=consultation, number="3.1", revision=2)
    client.force_login(staff)
    form = client.get(URL + "respond/").content.decode()
    assert "3.1 (revision 2): Every micro-certification is assessed against" in form
    prefix = f"c{revised.pk}"
    response = client.post(
        f"{URL}respond/{revised.pk}/",
        {
            f"{prefix}-disposition": "accepted",
            f"{prefix}-reason": "Outcomes make it clearer.",
            f"{prefix}-change": "",
            f"{prefix}-changed_clause": str(changed.pk),
        },
    )
    assert response.status_code == 302
    assert Response.objects.get().changed_clause == changed
    # The next version is published with the disposition.
    page = FrameworkPage.objects.get(pk=draft_framework.pk)
    page.get_latest_revision().publish()
    version = page.versions.get(number="1.1")
    publish_disposition(by=staff, consultation=consultation, next_version=version)
    client.logout()
    # The disposition's "change made" links to the clause in the comparison…
    table = client.get(URL + "disposition/").content.decode()
    link = f'{DOCUMENT}compare/?to=1.1#c-3.1"'
    assert link in table
    assert REVISED in table
    # …which shows, beside the changed clause, the comment and its response.
    diff = client.get(DOCUMENT + "compare/?to=1.1").content.decode()
    row = re.search(r'<li [^>]*id="c-3\.1">(.*?)</li>\s*</ul>', diff, re.S)
    assert row is not None, diff
    assert REVISED in row.group(1)
    assert "Clause 3.1 changed after this comment:" in row.group(1)
    assert f'href="{URL}disposition/#comment-{revised.pk}"' in row.group(1)
    assert "Outcomes make it clearer." in row.group(1)
    assert "Northern College" in row.group(1)


def test_the_diff_shows_no_comment_before_the_disposition_is_published(
    client, revised, consultation, draft_framework, staff
):
    changed = Clause.objects.get(consultation=consultation, number="3.1", revision=2)
    respond(
        by=staff,
        comment=revised,
        disposition="accepted",
        reason="Outcomes make it clearer.",
        changed_clause=changed,
    )
    page = FrameworkPage.objects.get(pk=draft_framework.pk)
    page.get_latest_revision().publish()
    diff = client.get(DOCUMENT + "compare/?to=1.1").content.decode()
    assert REVISED in diff
    assert "Outcomes make it clearer." not in diff
    assert "changed after" not in diff


def test_a_clause_not_revised_after_closing_cannot_be_named(
    client, revised, consultation, staff
):
    unchanged = Clause.objects.get(consultation=consultation, number="2.1")
    with pytest.raises(ConsultationError):
        respond(
            by=staff,
            comment=revised,
            disposition="accepted",
            reason="Yes.",
            changed_clause=unchanged,
        )
    assert not Response.objects.exists()
