"""Consultations in site search, on both engines: an open draft's clauses and
published comments are found by anyone; held and hidden comments, a draft
whose consultation is not open and the clauses of other drafts never are."""

from datetime import timedelta

import pytest
from django.utils import timezone

from frameworks.consultation_models import Comment
from frameworks.consultation_services import post_comment
from frameworks.search import CLAUSES, COMMENTS
from search.site import get_site_engine
from tests.conftest import make_user
from tests.frameworks.conftest import make_framework
from tests.frameworks.consultation_helpers import (
    comment_data,
    open_consultation,
    save_draft,
    set_dates,
)

pytestmark = pytest.mark.django_db


def _comment(author, consultation, clause, body):
    data = comment_data(body=body)
    data.pop("clause")
    return post_comment(
        author=author, consultation=consultation, clause_number=clause, **data
    )


@pytest.fixture
def new_member(db):
    """A member who joined today: their comments wait for a moderator."""
    return make_user("nell@example.org", first_name="Nell", last_name="New")


@pytest.fixture
def world(
    engine_name, home_page, new_member, django_capture_on_commit_callbacks, settings
):
    """An open draft with a published, a held and a hidden comment; a draft
    whose consultation has not opened; a closed one's draft."""
    from frameworks import seed

    settings.CONSULTATION_COMMENT_RATE = "100/h"
    established_member = make_user("ada@example.org", first_name="Ada")
    established_member.date_joined = timezone.now() - timedelta(days=90)
    established_member.save(update_fields=["date_joined"])
    framework_index = seed.index_page()
    with django_capture_on_commit_callbacks(execute=True):
        page = make_framework(
            framework_index,
            "Micro-certification framework",
            document_type="framework",
            sections=[("Purpose", "The first version.")],
        )
        save_draft(page, [("Purpose", "Recognise the pangolin skills.")])
        consultation = open_consultation(page)
        _comment(established_member, consultation, "1.1", "Mention the narwhal.")
        _comment(established_member, consultation, "", "A quokka view on it all.")
        _comment(new_member, consultation, "1.1", "A held wombat comment.")
        hidden = _comment(
            established_member, consultation, "1.1", "A hidden dugong comment."
        )
        Comment.objects.filter(pk=hidden.pk).update(status=Comment.Status.HIDDEN)
        hidden.refresh_from_db()
        hidden.save()  # as the moderation admin saves it: search hears of it
        upcoming_page = make_framework(framework_index, "Upcoming guide")
        save_draft(upcoming_page, [("Scope", "The capybara clause.")], version="2.0")
        open_consultation(upcoming_page, opens=2, closes=9, version="2.0")
        closed_page = make_framework(framework_index, "Closed guide")
        save_draft(closed_page, [("Scope", "The axolotl clause.")], version="2.0")
        closed = open_consultation(closed_page, version="2.0")
        _comment(established_member, closed, "1.1", "A kept meerkat remark.")
        set_dates(closed, opens=-9, closes=-1)
    return consultation


def _found(query, user=None, kind=""):
    result = get_site_engine().search(query, user=user, kind=kind)
    return result


@pytest.mark.parametrize(
    ("word", "kind", "found"),
    [
        ("pangolin", CLAUSES, True),  # the open draft's clause
        ("narwhal", COMMENTS, True),  # a published comment on a clause
        ("quokka", COMMENTS, True),  # a published comment on the whole draft
        ("meerkat", COMMENTS, True),  # published, on a closed consultation
        ("wombat", COMMENTS, False),  # held for moderation
        ("dugong", COMMENTS, False),  # hidden by a moderator
        ("capybara", CLAUSES, False),  # consultation not open yet
        ("axolotl", CLAUSES, False),  # consultation closed
    ],
)
def test_an_outsider_finds_the_open_draft_and_published_comments_only(
    world, engine_name, word, kind, found
):
    result = _found(word)
    assert result.counts.get(kind, 0) == (1 if found else 0), result.counts
    assert result.total == (1 if found else 0)
    filtered = _found(word, kind=kind)
    hits = filtered.groups.get(kind, [])
    assert len(hits) == (1 if found else 0)
    if found:
        assert word in str(hits[0].snippet)
        assert hits[0].url.startswith(
            "/frameworks/" if word != "meerkat" else "/frameworks/closed-guide/"
        )


def test_a_hit_links_the_clause_or_the_comment(world, engine_name):
    [clause] = _found("pangolin", kind=CLAUSES).groups[CLAUSES]
    url = "/frameworks/micro-certification-framework/consultation/1.1/"
    assert clause.url == url + "clause/1.1/"
    assert clause.label == "Draft open for comments"
    assert "Clause 1.1 of the draft Micro-certification framework 1.1" in clause.title
    [comment] = _found("narwhal", kind=COMMENTS).groups[COMMENTS]
    narwhal = Comment.objects.get(body="Mention the narwhal.")
    assert comment.url == f"{url}clause/1.1/#comment-{narwhal.pk}"
    assert comment.meta == "Northern College"


def test_the_held_comments_author_does_not_find_it_either(
    world, engine_name, new_member
):
    assert not _found("wombat", user=new_member).total


def test_the_search_page_offers_the_consultation_kinds(client, world, engine_name):
    html = client.get("/search/?q=narwhal").content.decode()
    assert "Consultation comments" in html
    assert "Mention the <mark>narwhal</mark>" in html or "narwhal" in html
    assert client.get(f"/search/?q=narwhal&kind={COMMENTS}").status_code == 200


def test_a_closing_consultation_leaves_search(world, engine_name):
    assert _found("pangolin").counts[CLAUSES] == 1
    set_dates(world, opens=-9, closes=-1)
    get_site_engine()  # nothing to reindex: the rule is asked at each search
    from search.registry import bump
    from search.site import SITE_INDEX

    bump(SITE_INDEX)  # cached anonymous results are forgotten
    assert _found("pangolin").counts.get(CLAUSES, 0) == 0
    # Its published comments are still found.
    assert _found("narwhal").counts[COMMENTS] == 1


def test_a_kept_result_is_not_served_past_the_closing_time(world, engine_name):
    """Anonymous results are kept, but never past the moment a consultation
    opens or closes: a closing changes what is found without any save."""
    import time
    from datetime import timedelta

    from frameworks.consultation_models import Consultation

    closes_at = timezone.now() + timedelta(seconds=2)
    Consultation.objects.filter(pk=world.pk).update(closes_at=closes_at)
    from search.registry import bump
    from search.site import SITE_INDEX

    bump(SITE_INDEX)  # as saving the consultation in the admin does
    assert _found("pangolin").counts[CLAUSES] == 1  # searched, and kept
    time.sleep(max(0, (closes_at - timezone.now()).total_seconds()) + 0.2)
    assert _found("pangolin").counts.get(CLAUSES, 0) == 0
