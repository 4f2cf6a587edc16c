"""Money reads one way everywhere, in the visitor's language."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from cms.money import money

from .factories import make_credential


def test_amounts_in_english_and_french():
    assert money(Decimal("499")) == "$499"
    assert money(Decimal("1250.00")) == "$1,250"
    assert money(Decimal("99.50")) == "$99.50"
    with translation.override("fr"):
        assert money(Decimal("499")) == "499\u00a0$"
        assert money(Decimal("99.50")) == "99,50\u00a0$"


@pytest.mark.django_db
def test_the_list_the_entry_and_the_filters_agree(client, home_page):
    from credentials.seed import catalogue_page

    catalogue_page()
    entry = make_credential("Heat Pump Installation", cost_cad=Decimal("450.00"))
    listing = client.get("/catalogue/").content.decode()
    page = client.get(entry.get_absolute_url()).content.decode()
    for html in (listing, page):
        assert "$450" in html
        assert "$450.00" not in html
        assert "$ CAD" not in html and "450 $" not in html
    for label in ("Under $500", "$500 to $1,000", "Over $1,000"):
        assert label in listing
    assert not re.search(r"\d \$", listing)
