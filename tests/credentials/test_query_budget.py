"""Query budgets of the catalogue and an entry page (see tests/budget.py)."""

import datetime

import pytest

from credentials.models import CredentialStartDate
from tests.budget import assert_within

from .factories import make_credential, make_provider

pytestmark = pytest.mark.django_db

# (anonymous, signed in as a member); the page cache is off, as in the benchmark.
# A query asked before: its form, facets and results come from the cache.
CATALOGUE = (0, 2)
# A query asked for the first time (no search cache): counts, hits and skills.
CATALOGUE_UNCACHED = (6, 8)
# An entry's page asked before: all but the frame comes from the cache.
ENTRY_PAGE = (0, 2)
# An entry's page asked for the first time: the entry, its skills and dates,
# related and stacked entries.
ENTRY_PAGE_UNCACHED = (7, 9)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def catalogue(home_page):
    from credentials.seed import catalogue_page

    return catalogue_page()


@pytest.mark.parametrize("cached", [True, False])
@pytest.mark.parametrize("signed_in", [False, True])
def test_catalogue_with_5_and_50_entries(
    client, catalogue, member, signed_in, cached, settings
):
    if not cached:
        settings.SEARCH_CACHE_TIMEOUT = 0

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
    limit = (CATALOGUE if cached else CATALOGUE_UNCACHED)[signed_in]
    assert_within(client, "/catalogue/?per_page=50", limit, grow=grow, check=check)


@pytest.mark.parametrize("cached", [True, False])
@pytest.mark.parametrize("signed_in", [False, True])
def test_entry_page_with_5_and_50_related_stacked_and_start_dates(
    client, catalogue, member, signed_in, cached, settings
):
    if not cached:
        settings.SEARCH_CACHE_TIMEOUT = 0
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
    limit = (ENTRY_PAGE if cached else ENTRY_PAGE_UNCACHED)[signed_in]
    assert_within(client, entry.get_absolute_url(), limit, grow=grow, check=check)
