"""Amounts of money, written one way everywhere in the visitor's language."""

from decimal import Decimal

from django.utils import translation
from django.utils.formats import number_format


def money(amount):
    """Canadian dollars as a visitor reads them: "$1,250" in English, "1 250 $" in
    French; cents only when there are some ("$99.50"), the same in every list,
    page and filter label.
    """
    if amount is None or amount == "":
        return ""
    amount = Decimal(str(amount))
    places = 0 if amount == amount.to_integral_value() else 2
    number = number_format(amount, places, use_l10n=True, force_grouping=True)
    language = (translation.get_language() or "en").split("-")[0]
    if language == "fr":
        return f"{number}\u00a0$"
    return f"${number}"
