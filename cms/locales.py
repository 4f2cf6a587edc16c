"""The Locale rows, read from the cache (issue 21).

Wagtail asks the database for the active language's `Locale` every time it
localizes a page: routing each request (the site's root page), every page link
in rich text and blocks, the menu. That is a query each time for a two-row
table that changes only when staff add a language. Its ids are kept in the
cache by language code, and forgotten whenever a Locale is saved or deleted.
A Locale decides no access: a stale id would only pick the wrong language's
version of a page, never a page someone may not see.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale
from wagtail.models.i18n import LocaleManager

_read_from_database = LocaleManager.get_for_language


def _key(language_code):
    return f"wagtail-locale:{language_code}"


def get_for_language(manager, language_code):
    """Wagtail's `Locale.objects.get_for_language`, from the cache."""
    code = get_supported_content_language_variant(language_code)
    pk = cache.get(_key(code))
    if pk is not None:
        return manager.model(pk=pk, language_code=code)
    locale = _read_from_database(manager, code)
    cache.set(_key(code), locale.pk, None)
    return locale


def forget_locale(sender, instance, **kwargs):
    cache.delete(_key(instance.language_code))


def connect():
    LocaleManager.get_for_language = get_for_language
    post_save.connect(forget_locale, sender=Locale, dispatch_uid="forget_locale")
    post_delete.connect(forget_locale, sender=Locale, dispatch_uid="forget_locale_d")
