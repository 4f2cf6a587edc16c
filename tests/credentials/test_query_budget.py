"""Query budgets of the catalogue and an entry page (see tests/budget.py)."""

import datetime

import pytest

from credentials.models import CredentialStartDate
from tests.budget import assert_within

from .factories import make_credential, make_provider

pytestmark = pytest.mark.django_db

# (warm, cold) for an anonymous visitor and for a signed-in member. Warm, a
# query asked before: its form, facets and results come from the search cache.
# Cold, asked for the first time: counts, hits and skills.
CATALOGUE = {False: (1, 15), True: (3, 18)}
# Warm, an entry's page asked before: whether the visitor may see it, and all
# but the frame from the cache; cold: the entry, its skills and dates, related
# and stacked entries.
ENTRY_PAGE = {False: (2, 15), True: (4, 18)}


@pytest.fixture
def catalogue(home_page):
    from credentials.seed import catalogue_page

    return catalogue_page()


@pytest.mark.parametrize("signed_in", [False, True])
def test_catalogue_with_5_and_50_entries(client, catalogue, member, signed_in):

    def grow(start, stop):
        for number in range(start, stop):
            make_credential(
                f"Analytics {number}",
                provider=make_provider(f"Provider {number % 7}"),
                skills=[f"skill {number % 13}", "SQL"],
                start_dates=[datetime.date(2027, 1, 4)],
            )

    def check(html, rows):
        assert html.count('class="result"') == rows

    if signed_in:
        client.force_login(member)
    warm, cold = CATALOGUE[signed_in]
    assert_within(
        client, "/catalogue/?per_page=50", warm, cold=cold, grow=grow, check=check
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_entry_page_with_5_and_50_related_stacked_and_start_dates(
    client, catalogue, member, signed_in
):
    entry = make_credential("Data Analytics", skills=["SQL", "Python"])

    def grow(start, stop):
        for number in range(start, stop):
            other = make_credential(f"Related {number}", skills=["SQL"])
            entry.stacks_into.add(other)
            entry.skills.add(f"skill {number}")
            CredentialStartDate.objects.create(
                credential=entry,
                date=datetime.date(2027, 1, 1) + datetime.timedelta(days=number),
            )
        entry.save()

    def check(html, rows):
        assert html.count('class="card"') == 4
        assert html.count("<time datetime=") >= rows

    if signed_in:
        client.force_login(member)
    warm, cold = ENTRY_PAGE[signed_in]
    assert_within(
        client, entry.get_absolute_url(), warm, cold=cold, grow=grow, check=check
    )
