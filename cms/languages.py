"""The language we write to someone in (issue 21).

A request knows its language from its address (/… English, /fr/… French). An
email sent later by a task has no request: the language is stored where the
person left it (a registration, a member's profile, a contact message) and
the task renders in it with `translation.override`, so that the strings,
dates and the links (`reverse` adds /fr/ in French) are that language's.
"""

from django.conf import settings
from django.utils import translation


def supported(code):
    """`code` as one of LANGUAGES ("fr-ca" is "fr"); the site's default
    language when it is empty or unknown."""
    try:
        return translation.get_supported_language_variant(code or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def current():
    """The language of this request (or of the `override` being rendered)."""
    return supported(translation.get_language())


def in_language(code):
    """Render (strings, dates, reversed URLs) in `code`'s language."""
    return translation.override(supported(code))


def _locale_ids():
    """{Locale id: language code}, from the cache (cms.locales): no query."""
    from wagtail.models import Locale

    ids = {}
    for code, _name in settings.LANGUAGES:
        try:
            ids[Locale.objects.get_for_language(code).pk] = code
        except Locale.DoesNotExist:
            continue
    return ids


def of_page(page):
    """The language of a page's content (its locale's)."""
    return _locale_ids().get(page.locale_id) or page.locale.language_code


def localized(page, code):
    """The live version of `page` in `code`'s language, else `page` itself."""
    from wagtail.models import Locale

    if page is None:
        return None
    code = supported(code)
    if of_page(page) == code:
        return page
    try:
        locale = Locale.objects.get_for_language(code)
    except Locale.DoesNotExist:
        return page
    translated = page.get_translation_or_none(locale)
    if translated is None or not translated.live:
        return page
    return translated.specific
