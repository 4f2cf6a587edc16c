"""The Locale rows, read from the cache (issue 21).

Wagtail asks the database for the active language's `Locale` every time it
localizes a page: routing each request (the site's root page), every page link
in rich text and blocks, the menu. That is a query each time for a two-row
table that changes only when staff add a language. Its ids are kept in the
cache by language code, and forgotten whenever a Locale is saved or deleted.
A Locale decides no access: a stale id would only pick the wrong language's
version of a page, never a page someone may not see.

Also Django's LocaleMiddleware without its `Vary: Accept-Language`.
"""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.middleware import locale
from django.utils.cache import cc_delim_re, has_vary_header
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


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, without the `Vary: Accept-Language` it adds to every address
    without a language prefix. Here the address alone decides the language
    (i18n_patterns without a prefix for English: LANGUAGE_CODE there, whatever
    the browser prefers), so the header would only split a shared cache's copy
    of each English page by browser. A view that does read the header says so
    itself (`vary_on_headers`), and keeps it."""

    def process_response(self, request, response):
        own = has_vary_header(response, "Accept-Language")
        response = super().process_response(request, response)
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if not own and is_language_prefix_patterns_used(urlconf) == (True, False):
            kept = [
                field
                for field in cc_delim_re.split(response.get("Vary", ""))
                if field and field.lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
