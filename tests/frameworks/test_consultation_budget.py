"""Query budgets of the consultation pages (tests/budget.py): the same for 5
and 50 comments, anonymous and signed in."""

import pytest

from frameworks.consultation_services import post_comment
from tests.budget import assert_within

from .consultation_helpers import comment_data

pytestmark = pytest.mark.django_db

URL = "/frameworks/micro-certification-framework/consultation/1.1/"


@pytest.fixture
def grow(consultation, established_member, settings):
    settings.CONSULTATION_COMMENT_RATE = "1000/h"
    data = comment_data()
    data.pop("clause")

    def add(start, stop):
        for n in range(start, stop):
            post_comment(
                author=established_member,
                consultation=consultation,
                clause_number=["1.1", "2.1", "2.2", "3.1", ""][n % 5],
                **{**data, "body": f"Comment number {n}."},
            )

    return add


@pytest.mark.parametrize(
    ("path", "warm", "cold"),
    # With the language switcher's query (issue 21); cold also the Locale and
    # the root pages' translations.
    [("", 10, 16), ("clause/2.1/", 11, 17), ("general/", 10, 16)],
)
def test_consultation_pages_within_budget_for_visitors(client, grow, path, warm, cold):
    assert_within(client, URL + path, warm, cold=cold, grow=grow)


@pytest.mark.parametrize(
    ("path", "warm", "cold"),
    [("", 13, 20), ("clause/2.1/", 14, 21), ("general/", 13, 20)],
)
def test_signed_in_pages_within_budget(
    client, grow, established_member, path, warm, cold
):
    # Under the benchmark's 15 signed in: the session, two-factor and header
    # queries every signed-in page makes, plus one query for everything the
    # comment form asks of the member (verified email, moderation, last
    # affiliation: consultation_services.member_facts).
    client.force_login(established_member)
    assert_within(client, URL + path, warm, cold=cold, grow=grow)
