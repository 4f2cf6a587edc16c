"""The page's language, the language switcher and hreflang alternates (issue 21).

The language of a response is decided by its address (/… English, /fr/…
French; cms/urls.py), never by the browser's preference alone. A Wagtail page
is only found under its own locale's home, so the address's language is the
page's; previews, served from the admin's address, take the page's locale.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext
from wagtail.models import Page, PageViewRestriction, Site

from cms import fragments

register = template.Library()


@dataclass
class LanguageVersion:
    code: str
    name: str
    url: str
    current: bool
    # False: the page has no live version in this language; `url` is then
    # that language's home page and `note` says so, in that language.
    translated: bool
    note: str = ""


def _request_language(context):
    page = context.get("page")
    request = context.get("request")
    if isinstance(page, Page) and getattr(request, "is_preview", False):
        return page.locale.language_code
    return translation.get_language() or settings.LANGUAGE_CODE


@register.simple_tag(takes_context=True)
def content_language(context):
    """The language of what this response shows, for `<html lang>`."""
    return _request_language(context)


def _page_translations(page, request):
    """{language code: URL} of the live, public versions of `page` (itself
    included): the same for everyone until a page changes, so kept with the
    page fragments (cms.fragments), like the menu. Only links: each page
    still checks its own restrictions."""
    site = Site.find_for_request(request) if request is not None else None
    key = (
        f"page-translations:{page.translation_key}:{getattr(site, 'pk', None)}:"
        f"{fragments.version(request)}"
    )
    urls = cache.get(key)
    if urls is None:
        urls = _read_page_translations(page, request)
        cache.set(key, urls, fragments.TIMEOUT)
    return urls


def _read_page_translations(page, request):
    """`_page_translations` from the database, in one query."""
    # Wagtail's .public() reads every view restriction first (a query of its
    # own); this asks for the pages' own and their ancestors' in the same one.
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    versions = (
        Page.objects.filter(translation_key=page.translation_key)
        .live()
        .exclude(Exists(restricted))
        .select_related("locale")
        .only("url_path", "locale__language_code", "path", "depth")
    )
    urls = {}
    for version in versions:
        url = version.get_url(request=request)
        if url:
            urls[version.locale.language_code] = url
    return urls


@register.simple_tag(takes_context=True)
def language_versions(context):
    """Each language of the site with the address of this page in it.

    For a Wagtail page: its translation, or the other language's home page
    with a note when it has none yet (the switcher never leads to a 404).
    For any other view: the same view in the other language.
    Computed once per request: the switcher and the head both use it.
    """
    request = context.get("request")
    cached = getattr(request, "_language_versions", None)
    if cached is not None:
        return cached
    current = _request_language(context)
    page = context.get("page")
    translated_urls = None
    if isinstance(page, Page) and page.translation_key:
        translated_urls = _page_translations(page, request)
    # A "not found" page (`cms.views.page_not_found`)
    # names no address of its own: the switcher goes to each language's home,
    # never echoing a guessed address back.
    error_page = context.get("not_found")
    path = request.get_full_path() if request and not error_page else "/"
    versions = []
    for code, name in settings.LANGUAGES:
        if translated_urls is not None:
            url = translated_urls.get(code)
            translated = url is not None or code == current
            url = url or (path if code == current else translate_url("/", code))
        else:
            url = translate_url(path, code)
            translated = True
        note = ""
        if not translated:
            with translation.override(code):
                note = gettext("this page is not translated yet; home page")
        versions.append(
            LanguageVersion(code, name, url, code == current, translated, note)
        )
    if request is not None:
        request._language_versions = versions
    return versions


@register.simple_tag(takes_context=True)
def hreflang_alternates(context):
    """The versions a `<link rel="alternate" hreflang>` names: those that
    exist, when there are at least two (a page alone has no alternate)."""
    if context.get("not_found"):  # a "not found" page has no alternates
        return []
    versions = [v for v in language_versions(context) if v.translated]
    return versions if len(versions) > 1 else []


@register.filter
def lang_attr(language_code):
    """` lang="fr"` for text in the site's other language than the page's (a
    French catalogue entry in an English list: WCAG 3.1.2); "" for text in
    the page's language or in no single one (a bilingual entry, "en-fr").
    Fragments kept in a cache are kept per language (credentials.search)."""
    if language_code in dict(settings.LANGUAGES) and (
        language_code != translation.get_language()
    ):
        return format_html(' lang="{}"', language_code)
    return ""
