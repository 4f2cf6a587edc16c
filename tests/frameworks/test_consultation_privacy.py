"""Private things stay private: a draft not under consultation (or not yet
open, or on a restricted document) is on no page, API answer, feed or search
result; held comments and deleted members are handled as posts are."""

import pytest
from wagtail.models import PageViewRestriction

from frameworks.consultation_models import Comment
from frameworks.consultation_services import post_comment

from .conftest import make_framework
from .consultation_helpers import (
    comment_data,
    open_consultation,
    save_draft,
    set_dates,
)

pytestmark = pytest.mark.django_db

URL = "/frameworks/micro-certification-framework/consultation/1.1/"
SECRET = "Zebrafinch assessment rubric."


def _post(author, consultation, clause="", **extra):
    data = comment_data(**extra)
    data.pop("clause")
    return post_comment(
        author=author, consultation=consultation, clause_number=clause, **data
    )


def _everywhere(client):
    """What an outsider gets from every path: pages, API, feed, search."""
    api = client.get("/api/v1/consultations").json()
    return {
        "page": client.get(URL).status_code,
        "latest": client.get(URL.rsplit("1.1/", 1)[0]).status_code,
        "api": api,
        "feed": client.get("/frameworks/feed/").content.decode(),
        "search": client.get("/search/?q=zebrafinch").content.decode(),
        "index": client.get("/frameworks/").content.decode(),
    }


@pytest.fixture
def secret_draft(draft_framework):
    save_draft(draft_framework, [("Scope", SECRET)])
    return draft_framework


def test_a_draft_without_consultation_is_nowhere(client, secret_draft, member):
    for user in (None, member):
        if user:
            client.force_login(user)
        seen = _everywhere(client)
        assert seen["page"] == 404 and seen["latest"] == 404
        assert seen["api"] == []
        assert "Zebrafinch" not in seen["feed"]
        assert "Zebrafinch" not in seen["search"]
        assert "open for comments" not in seen["index"]


def test_an_upcoming_consultation_shows_no_text(client, secret_draft):
    consultation = open_consultation(secret_draft, opens=3, closes=10)
    seen = _everywhere(client)
    assert seen["page"] == 200
    assert "Zebrafinch" not in client.get(URL).content.decode()
    assert seen["api"] == []
    assert "Zebrafinch" not in seen["feed"] and "Draft open" not in seen["feed"]
    assert client.get(f"/api/v1/consultations/{consultation.pk}").status_code == 404


def test_an_open_consultation_on_a_restricted_document_stays_private(
    client, secret_draft, member
):
    consultation = open_consultation(secret_draft)
    PageViewRestriction.objects.create(
        page=secret_draft, restriction_type=PageViewRestriction.LOGIN
    )
    seen = _everywhere(client)
    assert seen["page"] in (302, 404)
    assert seen["api"] == []
    assert "Zebrafinch" not in seen["feed"] and "Draft open" not in seen["feed"]
    assert client.get(f"/api/v1/consultations/{consultation.pk}").status_code == 404
    client.force_login(member)
    assert "Zebrafinch" not in client.get(URL).content.decode()


def test_an_open_consultation_is_in_the_api_feed_and_index(
    client, secret_draft, established_member, new_member
):
    consultation = open_consultation(secret_draft)
    _post(established_member, consultation, "1.1", body="Published point.")
    _post(new_member, consultation, "1.1", body="Held point.")
    seen = _everywhere(client)
    assert [c["version"] for c in seen["api"]] == ["1.1"]
    assert "Draft open for comments: Micro-certification framework 1.1" in seen["feed"]
    assert "Consultation on Micro-certification framework 1.1" in seen["index"]
    detail = client.get(f"/api/v1/consultations/{consultation.pk}").json()
    clause = next(c for c in detail["clauses"] if c["number"] == "1.1")
    assert clause == {
        "number": "1.1",
        "kind": "paragraph",
        "text": SECRET,
        "revision": 1,
        "comments": 1,
    }
    comments = client.get(f"/api/v1/consultations/{consultation.pk}/comments").json()
    assert [c["body_html"] for c in comments["items"]] == ["<p>Published point.</p>"]
    assert "email" not in str(comments) and "@example.org" not in str(comments)


def test_a_deleted_members_comment_stays_as_a_former_members(
    client, secret_draft, established_member
):
    from community.services import delete_account

    consultation = open_consultation(secret_draft)
    _post(established_member, consultation, "1.1", body="Still relevant.")
    delete_account(user=established_member)
    html = client.get(URL + "clause/1.1/").content.decode()
    assert "Still relevant." in html and "A former member" in html
    comments = client.get(f"/api/v1/consultations/{consultation.pk}/comments").json()
    assert comments["items"][0]["author"] == ""


def test_a_hidden_comment_is_gone_for_readers_but_not_moderators(
    client, secret_draft, established_member, staff_with_mfa, staff
):
    from frameworks.consultation_services import moderate_comment

    consultation = open_consultation(secret_draft)
    comment = _post(established_member, consultation, "1.1", body="Abusive text.")
    moderate_comment(moderator=staff, comment=comment, status=Comment.Status.HIDDEN)
    assert "Abusive text." not in client.get(URL + "clause/1.1/").content.decode()
    api = client.get(f"/api/v1/consultations/{consultation.pk}/comments").json()
    assert api["items"] == []
    client.force_login(staff)
    assert "Hidden by a moderator" in client.get(URL + "clause/1.1/").content.decode()


def test_responses_stay_private_until_the_disposition_is_published(
    client, secret_draft, established_member, staff_with_mfa, staff
):
    from frameworks.consultation_services import respond

    consultation = open_consultation(secret_draft)
    comment = _post(established_member, consultation, "1.1")
    set_dates(consultation, opens=-9, closes=-1)
    respond(by=staff, comment=comment, disposition="accepted", reason="Internal note.")
    assert "Internal note." not in client.get(URL + "clause/1.1/").content.decode()
    api = client.get(f"/api/v1/consultations/{consultation.pk}/comments").json()
    assert api["items"][0]["response"] is None
    assert client.get(URL + "disposition/").status_code == 404


def test_a_never_published_document_under_consultation_stays_unpublished(
    client, framework_index
):
    page = make_framework(framework_index, "New guide", publish=False)
    open_consultation(page, version="1.0")
    assert client.get("/frameworks/new-guide/").status_code == 404
    assert "New guide" not in client.get("/api/v1/frameworks").content.decode()
