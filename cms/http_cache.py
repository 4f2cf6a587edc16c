"""What the shared HTTP cache in front (Varnish) may keep, and purging what changed.

The app keeps no pages. Every response says whether a shared cache may keep
it (docs/caching.md): `public, s-maxage=…` with an `xkey` header of tags for a
GET or HEAD that opted in (`cache_publicly`, `@edge_cacheable`, every Wagtail
page without view restrictions) and is the same for every anonymous visitor;
`private, no-store` for everything else. When data changes, `purge_tags`
asks each cache in VARNISH_URL to drop what is tagged with it, once the
transaction commits. A cache never decides access: view restrictions, drafts
and permissions are read from the database on every request that reaches the
app.
"""

import logging
import math
import time
from functools import wraps
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    patch_cache_control,
    patch_vary_headers,
)
from wagtail import hooks
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import fragments

logger = logging.getLogger(__name__)

# Every shared response carries ALL; HTML pages also PAGES (each shows the
# menu and may list other pages).
ALL = "all"
PAGES = "pages"
# Statuses that are the same for every anonymous visitor when the view is.
_SHAREABLE_STATUS = {200, 203, 204, 300, 301, 304, 404, 410}


# --- Saying what may be kept ---------------------------------------------------


def cache_publicly(request, *tags):
    """The response to this request is the same for every anonymous visitor and
    shows what `tags` name (`event-12`, `catalogue`…): a shared cache may keep
    it until one of them is purged. No effect for a signed-in visitor, a
    preview, a response that sets a cookie, or after `keep_private`."""
    request._http_cache_tags = {*getattr(request, "_http_cache_tags", ()), *tags}


def keep_private(request):
    """No shared cache may keep this request's response, whatever else says."""
    request._http_cache_private = True


def cache_until(request, moment):
    """The response changes by itself at `moment` (an aware datetime, or None:
    registration opens or closes): no shared copy may outlive it."""
    current = getattr(request, "_http_cache_until", None)
    if moment is not None and (current is None or moment < current):
        request._http_cache_until = moment


def edge_cacheable(*tags):
    """Decorator for a Django view that calls `cache_publicly(request, *tags)`."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            cache_publicly(request, *tags)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _shared_lifetime(request):
    lifetime = settings.CACHE_S_MAXAGE
    until = getattr(request, "_http_cache_until", None)
    if until is not None:
        left = (until - timezone.now()).total_seconds()
        lifetime = min(lifetime, max(0, math.floor(left)))
    return lifetime


def _personal(request, response):
    user = getattr(request, "user", None)
    return bool(
        (user is not None and user.is_authenticated)
        or response.cookies
        # The page shows the visitor's CSRF token (the cookie may be in the
        # session instead).
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or "HTTP_AUTHORIZATION" in request.META
    )


def _shareable(request, response):
    if request.method not in ("GET", "HEAD") or response.streaming:
        return False
    if not getattr(request, "_http_cache_tags", None):
        return False
    if getattr(request, "_http_cache_private", False):
        return False
    if getattr(request, "is_preview", False) or getattr(request, "is_dummy", False):
        return False
    if response.status_code not in _SHAREABLE_STATUS or _personal(request, response):
        return False
    said = response.get("Cache-Control", "").lower()
    if any(word in said for word in ("private", "no-store", "no-cache")):
        return False
    return _shared_lifetime(request) > 0


class HttpCacheMiddleware:
    """Labels every response (first in MIDDLEWARE: it must see every cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _shareable(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.CACHE_MAX_AGE,
                s_maxage=_shared_lifetime(request),
                stale_while_revalidate=settings.CACHE_STALE_WHILE_REVALIDATE,
            )
            # Members' pages differ (the cache passes their requests).
            patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
            tags = {ALL, *request._http_cache_tags}
            if response.get("Content-Type", "").startswith("text/html"):
                tags.add(PAGES)
            response["xkey"] = " ".join(sorted(tags))
        elif not response.has_header("Cache-Control") or _personal(request, response):
            add_never_cache_headers(response)  # private, no-cache, no-store
        if getattr(request, "csrf_esi", False):
            # The page's CSRF token is an include for Varnish (cms/esi.py).
            response["Surrogate-Control"] = 'content="ESI/1.0"'
        return response


@hooks.register("before_serve_page")
def _label_wagtail_page(page, request, serve_args, serve_kwargs):
    """Every Wagtail page may be kept unless it has view restrictions (on
    itself or an ancestor, read from the database), even once the visitor
    passes them. Pages name more of what they show with `cache_tags()`."""
    if request.method not in ("GET", "HEAD"):
        return
    restrictions = page.get_view_restrictions()
    # Read once: Wagtail's own check, the next hook, is given the same rows.
    page._view_restrictions_checked = restrictions
    if restrictions:
        keep_private(request)
        return
    extra = page.cache_tags() if hasattr(page, "cache_tags") else ()
    cache_publicly(request, PAGES, f"page-{page.pk}", *extra)


# --- Purging -----------------------------------------------------------------


def purge_tags(tags):
    """Drop every response tagged with one of `tags` from the shared caches,
    once the current transaction commits: the tags of a transaction go in one
    request per cache. Purging `pages` or `all` also renders the app's cached
    fragments of pages again (cms.fragments), with or without VARNISH_URL."""
    tags = set(tags)
    if tags & {PAGES, ALL}:
        fragments.forget()
    if not tags or not settings.VARNISH_URLS:
        return
    connection = transaction.get_connection()
    connection._http_cache_purge = getattr(connection, "_http_cache_purge", set())
    connection._http_cache_purge |= tags
    transaction.on_commit(_send_pending_purges)


def _send_pending_purges():
    from .tasks import purge_http_cache

    connection = transaction.get_connection()
    tags = getattr(connection, "_http_cache_purge", None)
    if tags:
        connection._http_cache_purge = set()
        purge_http_cache.enqueue(sorted(tags))


def send_purge(tags):
    """`PURGE /` with `xkey-purge: <tags>` to each cache, a few attempts with a
    growing pause, each failure logged (s-maxage bounds what a lost purge
    leaves). Returns the caches that never answered 2xx."""
    attempts = getattr(settings, "HTTP_CACHE_PURGE_ATTEMPTS", 3)
    pause = getattr(settings, "HTTP_CACHE_PURGE_BACKOFF", 0.5)
    names = " ".join(tags)
    failed = []
    for location in settings.VARNISH_URLS:
        parts = urlsplit(location)
        url = f"{parts.scheme}://{parts.netloc}/"
        for attempt in range(1, attempts + 1):
            request = Request(  # noqa: S310 - the operator's VARNISH_URL
                url, method="PURGE", headers={"xkey-purge": names}
            )
            try:
                with urlopen(request, timeout=5):  # noqa: S310
                    break
            except (URLError, OSError) as error:
                logger.warning(
                    "Purge of %s at %s failed (attempt %d of %d): %s",
                    names,
                    url,
                    attempt,
                    attempts,
                    error,
                )
                if attempt < attempts:
                    time.sleep(pause * 2 ** (attempt - 1))
        else:
            logger.error("Purge of %s at %s given up", names, url)
            failed.append(location)
    return failed


def purge_on_change(model, tags_for, *, unseen_fields=()):
    """Purge `tags_for(instance)` whenever a row of `model` is saved or deleted,
    unless only `unseen_fields` (shown on no shared page) were saved."""

    def handler(sender, instance, raw=False, update_fields=None, **kwargs):
        if raw or (update_fields and set(update_fields) <= set(unseen_fields)):
            return
        purge_tags(tags_for(instance))

    post_save.connect(handler, sender=model, weak=False)
    post_delete.connect(handler, sender=model, weak=False)


def _page_changed(sender, instance, **kwargs):
    # Menus, breadcrumbs and listings show other pages: every page may change.
    purge_tags([PAGES, f"page-{instance.pk}", "search"])


def _shown_everywhere(sender, instance, created=False, raw=False, **kwargs):
    deleted = kwargs["signal"] is post_delete
    if raw:
        return
    if isinstance(instance, Page):
        if deleted:
            _page_changed(sender, instance)
    elif isinstance(instance, PageViewRestriction):
        # A page made private leaves the shared caches at once.
        purge_tags([PAGES, f"page-{instance.page_id}", "search"])
    elif isinstance(instance, CollectionViewRestriction):
        purge_tags(["search"])  # documents listed in search results
    elif isinstance(instance, BaseSiteSetting | Site):
        purge_tags([ALL])
    elif isinstance(instance, AbstractRendition):
        if deleted:  # pages name the file: kept copies would show a broken image
            purge_tags([PAGES])
    elif isinstance(instance, AbstractImage | AbstractDocument) and not created:
        update_fields = kwargs.get("update_fields")
        if not update_fields or not set(update_fields) <= {"file_size", "file_hash"}:
            purge_tags([PAGES, "search"])


def connect():
    page_published.connect(_page_changed, dispatch_uid="http_cache_published")
    page_unpublished.connect(_page_changed, dispatch_uid="http_cache_unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="http_cache_moved")
    post_save.connect(_shown_everywhere, dispatch_uid="http_cache_saved")
    post_delete.connect(_shown_everywhere, dispatch_uid="http_cache_deleted")
