"""Query budgets of the home and content pages (see tests/budget.py)."""

import pytest

from cms.models import StandardPage
from tests.budget import assert_within

pytestmark = pytest.mark.django_db

# (anonymous, signed in as a member); the page cache is off, as in the benchmark.
HOME = (0, 1)
STANDARD_PAGE = (1, 2)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def _cards(home_page):
    def grow(start, stop):
        for number in range(start, stop):
            page = StandardPage(title=f"Card {number}", slug=f"card-{number}")
            home_page.add_child(instance=page)
            page.save_revision().publish()

    return grow


def _check_cards(html, rows):
    assert html.count('class="card"') >= rows


@pytest.mark.parametrize("signed_in", [False, True])
def test_home_page_with_5_and_50_cards(client, home_page, member, signed_in):
    if signed_in:
        client.force_login(member)
    assert_within(
        client, "/", HOME[signed_in], grow=_cards(home_page), check=_check_cards
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_standard_page(client, home_page, member, signed_in):
    if signed_in:
        client.force_login(member)
    assert_within(client, "/why-micro-certification-now/", STANDARD_PAGE[signed_in])
