"""Query budgets of French pages (see tests/budget.py), at 5 and 50 rows.

A French page costs what its English version does (tests/cms's pins) and one
query more: Wagtail's routing looks up the site root page's translation for
the address's language (and, cold, the French Locale). The French home page
is that translation: it is read in place of the English one (cms.sites).
"""

import pytest

from cms.models import StandardPage
from tests.budget import assert_within
from tests.cms.test_query_budget import HOME, STANDARD_PAGE

pytestmark = pytest.mark.django_db

ROUTING = 1  # the French home page, the site root's translation
COLD_ROUTING = 2  # and, cold, the French Locale (cms.locales keeps it)
HOME_ROUTING = 0  # the French home page instead of the English one
HOME_COLD_ROUTING = 1  # and, cold, the French Locale


def _french_cards(french_home):
    def grow(start, stop):
        for number in range(start, stop):
            page = StandardPage(title=f"Carte {number}", slug=f"carte-{number}")
            french_home.add_child(instance=page)
            page.save_revision().publish()

    return grow


def _check_cards(html, rows):
    assert html.count('class="card"') >= rows
    assert '<html lang="fr">' in html


@pytest.mark.parametrize("signed_in", [False, True])
def test_french_home_page_with_5_and_50_cards(client, french_site, user, signed_in):
    if signed_in:
        client.force_login(user)
    warm, cold = HOME[signed_in]
    assert_within(
        client,
        "/fr/",
        warm + HOME_ROUTING,
        cold=cold + HOME_COLD_ROUTING,
        grow=_french_cards(french_site),
        check=_check_cards,
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_french_standard_page(client, french_site, user, signed_in):
    if signed_in:
        client.force_login(user)
    warm, cold = STANDARD_PAGE[signed_in]
    assert_within(
        client,
        "/fr/pourquoi-la-microcertification-maintenant/",
        warm + ROUTING,
        cold=cold + COLD_ROUTING,
    )
