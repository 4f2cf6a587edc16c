"""The consultation pages from outside: who reads the draft and when, comments
and their filters, counts per clause, clause anchors, bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from frameworks.consultation_models import Comment
from frameworks.consultation_services import post_comment

from .conftest import make_framework
from .consultation_helpers import comment_data, open_consultation, set_dates

pytestmark = pytest.mark.django_db

URL = "/frameworks/micro-certification-framework/consultation/1.1/"


def text(response):
    """The page's text as a reader (or screen reader) gets it."""
    return " ".join(strip_tags(response.content.decode()).split())


@pytest.fixture
def second_member(other_member):
    other_member.date_joined = timezone.now() - timedelta(days=30)
    other_member.save(update_fields=["date_joined"])
    return other_member


def _post(author, consultation, clause="", **extra):
    data = comment_data(**extra)
    data.pop("clause")
    return post_comment(
        author=author, consultation=consultation, clause_number=clause, **data
    )


def test_the_stable_address_leads_to_the_current_consultation(client, consultation):
    response = client.get("/frameworks/micro-certification-framework/consultation/")
    assert response.status_code == 302
    assert response["Location"] == URL


def test_anyone_reads_the_open_draft_clause_by_clause(client, consultation):
    html = client.get(URL).content.decode()
    assert "Open for comments." in html
    assert 'id="c-2.1"' in html and 'href="#c-2.1"' in html
    assert "Applies to colleges." in html
    assert "Is the scope right?" in html
    # The draft is not published as the current version.
    page_html = client.get("/frameworks/micro-certification-framework/").content
    assert b"Applies to colleges." not in page_html
    assert b"The first version." in page_html


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (2, 9, "Not open yet."),
        (-9, -2, "Closed."),
    ],
)
def test_nothing_is_open_before_or_after_the_dates(
    client, consultation, member, opens, closes, message
):
    set_dates(consultation, opens=opens, closes=closes)
    for user in (None, member):
        if user:
            client.force_login(user)
        html = client.get(URL).content.decode()
        assert message in html
        assert "Applies to colleges." not in html
        assert client.get(URL + "clause/2.1/").status_code == 404
        response = client.post(URL + "clause/2.1/", comment_data())
        assert response.status_code in (302, 404)
    assert not Comment.objects.exists()


def test_a_draft_without_consultation_stays_private(client, framework_index, member):
    make_framework(framework_index, "Secret draft", publish=False)
    other = make_framework(framework_index, "Published guide")
    for user in (None, member):
        if user:
            client.force_login(user)
        assert client.get("/frameworks/secret-draft/consultation/").status_code == 404
        assert (
            client.get("/frameworks/secret-draft/consultation/1.0/").status_code == 404
        )
        assert client.get(f"/frameworks/{other.slug}/consultation/").status_code == 404


def test_a_never_published_draft_can_be_consulted(client, framework_index):
    page = make_framework(
        framework_index, "New guide", publish=False, sections=[("Aim", "To guide.")]
    )
    open_consultation(page, version="1.0")
    html = client.get("/frameworks/new-guide/consultation/1.0/").content.decode()
    assert "To guide." in html
    assert client.get("/frameworks/new-guide/").status_code == 404


def test_a_verified_member_comments_on_a_clause_without_javascript(
    client, consultation, established_member
):
    client.force_login(established_member)
    page = client.get(URL + "clause/2.1/")
    assert 'id="comment-form"' in page.content.decode()
    assert 'value="Northern College"' not in page.content.decode()
    response = client.post(URL + "clause/2.1/", comment_data(answer_1="Yes."))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == "published"
    assert comment.clause.number == "2.1"
    assert response["Location"] == f"{URL}clause/2.1/#comment-{comment.pk}"
    # Anyone reads it, with the organisation; the count shows in the margin.
    client.logout()
    html = client.get(URL + "clause/2.1/").content.decode()
    assert "The scope leaves out employers." in html
    assert "Northern College" in html and "Dean" in html
    overview = text(client.get(URL))
    assert "1 comment on clause 2.1" in overview
    assert "1 concern" in overview
    # Organisation and role are asked once: the next form starts with them.
    client.force_login(established_member)
    html = client.get(URL + "clause/3.1/").content.decode()
    assert 'value="Northern College"' in html


def test_a_new_members_comment_is_held_for_moderation(
    client, consultation, new_member, staff_with_mfa, staff
):
    client.force_login(new_member)
    response = client.post(URL + "clause/2.1/", comment_data(), follow=True)
    assert "once a moderator has read it" in response.content.decode()
    assert "Waiting for a moderator" in response.content.decode()
    comment = Comment.objects.get()
    assert comment.status == "held"
    client.logout()
    assert (
        b"The scope leaves out employers."
        not in client.get(URL + "clause/2.1/").content
    )
    assert "0 comments on clause 2.1" in text(client.get(URL))
    client.force_login(staff)
    assert b"The scope leaves out employers." in client.get(URL + "clause/2.1/").content


@pytest.mark.parametrize("who", ["anonymous", "unverified"])
def test_only_verified_members_comment(client, consultation, unverified_member, who):
    if who == "unverified":
        client.force_login(unverified_member)
        assert b"verify your email address" in client.get(URL + "clause/2.1/").content
    else:
        assert b"Sign in to comment" in client.get(URL + "clause/2.1/").content
    client.post(URL + "clause/2.1/", comment_data())
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"body": ""}, 400, "This field is required."),
        ({"type": "change", "replacement": ""}, 400, "Write the text you propose"),
        ({"type": "change", "replacement": "x" * 2001}, 400, "at most 2000"),
        ({"organisation_type": "bank"}, 400, "Select a valid choice"),
    ],
)
def test_bad_input_changes_nothing_and_says_why(
    client, consultation, established_member, data, status, message
):
    client.force_login(established_member)
    response = client.post(URL + "clause/2.1/", comment_data(**data))
    assert response.status_code == status
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_clause_that_does_not_exist(client, consultation, established_member):
    client.force_login(established_member)
    assert client.post(URL + "clause/9.9/", comment_data()).status_code == 404
    assert not Comment.objects.exists()


def test_the_same_comment_twice_is_refused(client, consultation, established_member):
    client.force_login(established_member)
    client.post(URL + "clause/2.1/", comment_data())
    response = client.post(URL + "clause/2.1/", comment_data())
    assert response.status_code == 400
    assert "You have already made this comment." in response.content.decode()
    assert Comment.objects.count() == 1


def test_comments_are_rate_limited(client, consultation, established_member, settings):
    settings.CONSULTATION_COMMENT_RATE = "2/h"
    client.force_login(established_member)
    for n in range(2):
        client.post(URL + "clause/2.1/", comment_data(body=f"Point {n}."))
    response = client.post(URL + "clause/2.1/", comment_data(body="Point 3."))
    assert response.status_code == 429
    assert "try again later" in response.content.decode()
    assert "Point 3." in response.content.decode()  # the text is kept
    assert Comment.objects.count() == 2


def test_markup_in_a_comment_is_sanitised(client, consultation, established_member):
    _post(
        established_member,
        consultation,
        "2.1",
        body="<script>alert(1)</script> [x](javascript:alert(2)) **bold**",
        type="change",
        replacement='<img src=x onerror="alert(3)">',
    )
    html = client.get(URL + "clause/2.1/").content.decode()
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html
    assert "<strong>bold</strong>" in html
    assert "<img src=x onerror" not in html
    assert "&lt;img src=x onerror" in html


def test_filters_by_type_and_organisation_type(
    client, consultation, established_member, second_member
):
    _post(established_member, consultation, "2.1", type="support", body="Yes.")
    _post(
        second_member,
        consultation,
        "2.1",
        type="concern",
        body="No.",
        organisation="Acme",
        organisation_type="employer",
    )
    html = client.get(URL + "clause/2.1/?type=support").content.decode()
    assert "Yes." in html and "<p>No.</p>" not in html
    html = client.get(URL + "clause/2.1/?organisation_type=employer").content.decode()
    assert "<p>No.</p>" in html and "<p>Yes.</p>" not in html
    overview = text(client.get(URL + "?organisation_type=employer"))
    assert "1 comment on clause 2.1" in overview
    response = client.get(URL + "?type=nonsense")
    assert response.status_code == 400
    assert "Choose a type from the list." in response.content.decode()


def test_author_edits_until_close_not_after(
    client, consultation, established_member, other_member
):
    comment = _post(established_member, consultation, "2.1")
    edit = f"{URL}comments/{comment.pk}/edit/"
    client.force_login(other_member)
    assert client.get(edit).status_code == 404
    client.force_login(established_member)
    data = {"type": "support", "body": "On reflection, fine.", "replacement": ""}
    assert client.post(edit, data).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "On reflection, fine." and comment.edited_at
    set_dates(consultation, opens=-9, closes=-1)
    response = client.post(edit, {**data, "body": "Too late."})
    assert response.status_code == 400
    assert "can no longer be changed" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "On reflection, fine."


def test_closed_consultation_keeps_commented_clause_anchors(
    client, consultation, established_member
):
    _post(established_member, consultation, "3.1")
    set_dates(consultation, opens=-9, closes=-1)
    html = client.get(URL).content.decode()
    assert 'id="c-3.1"' in html
    assert 'id="c-2.1"' not in html  # no comments: the draft is no longer open
    assert client.get(URL + "clause/3.1/").status_code == 200


def test_the_closing_date_as_a_calendar_file(client, consultation):
    response = client.get(URL + "closing.ics")
    assert response["Content-Type"] == "text/calendar"
    assert b"BEGIN:VEVENT" in response.content
    assert b"Consultation closes: Micro-certification framework 1.1" in response.content


def test_the_overview_costs_the_same_for_more_clauses_and_comments(
    client, consultation, established_member, second_member, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost():
        with CaptureQueriesContext(connection) as overview:
            assert client.get(URL).status_code == 200
        with CaptureQueriesContext(connection) as clause_page:
            assert client.get(URL + "clause/2.1/").status_code == 200
        return len(overview), len(clause_page)

    settings.CONSULTATION_COMMENT_RATE = "100/h"
    _post(established_member, consultation, "2.1", body="First.")
    cost()  # the first request reads the site and settings once
    few = cost()
    for n in range(6):
        _post(established_member, consultation, f"{1 + n % 3}.1", body=f"Note {n}.")
        _post(second_member, consultation, "2.1", body=f"More {n}.")
        _post(second_member, consultation, "", body=f"General {n}.")
    assert cost() == few
