"""Query budgets of the home and content pages (see tests/budget.py)."""

import pytest

from cms.models import StandardPage
from tests.budget import assert_within

pytestmark = pytest.mark.django_db

# (warm, cold) for an anonymous visitor and for a signed-in member. A page
# costs: the page and its view restrictions (the site, its root page, which
# page its URL leads to and the page's translations are kept: cms.sites,
# cms.fragments); members add their row and, in the same query, whether they
# are privileged, moderate and may open the admin. Home's body and cards, a
# page's body and breadcrumbs, the menu and the site settings are the same for
# everyone and kept until a page changes (cms.fragments). Cold makes them
# again (the site, the cards in one query whatever kinds of pages they are,
# public pages in one query, each rich-text block's page links in one, the
# page's translations in one), and reads the sites' root paths and the
# session, which Wagtail and Django keep in the cache; cold also reads the
# Locale and the sites' root pages' translations (issue 21).
HOME = {False: (2, 11), True: (4, 14)}
STANDARD_PAGE = {False: (2, 11), True: (4, 14)}


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
    warm, cold = HOME[signed_in]
    assert_within(
        client, "/", warm, cold=cold, grow=_cards(home_page), check=_check_cards
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_standard_page(client, home_page, member, signed_in):
    if signed_in:
        client.force_login(member)
    warm, cold = STANDARD_PAGE[signed_in]
    assert_within(client, "/why-micro-certification-now/", warm, cold=cold)


def test_home_cards_cost_the_same_whatever_kinds_of_pages_they_are(client, home_page):
    from events.models import EventIndexPage, WebinarIndexPage
    from frameworks.models import FrameworkIndexPage

    before = assert_within(client, "/", HOME[False][0], cold=HOME[False][1])
    for model in (EventIndexPage, WebinarIndexPage, FrameworkIndexPage):
        page = model(title=f"A {model.__name__}", slug=model.__name__.lower())
        home_page.add_child(instance=page)
        page.save_revision().publish()
    after = assert_within(client, "/", HOME[False][0], cold=HOME[False][1])
    assert after == before
    assert "A WebinarIndexPage" in client.get("/").content.decode()
