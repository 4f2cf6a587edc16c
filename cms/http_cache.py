"""What the shared HTTP cache in front (Varnish) may keep, and purging what changed.

The app never keeps pages itself. It says, on every response, whether a shared
cache may keep it (docs/caching.md):

- `public, max-age=CACHE_MAX_AGE, s-maxage=CACHE_S_MAXAGE,
  stale-while-revalidate=…` with an `xkey` header naming what the response
  shows (tags), for a GET or HEAD that the view opted in (`cache_publicly`,
  `@edge_cacheable`; every Wagtail page without view restrictions does) and
  that is the same for every anonymous visitor: nobody signed in, no cookie
  set (a session, a CSRF token, messages), not a preview;
- `private, no-cache, no-store` for everything else, unless the view said
  something itself (and the response is not personal).

When data changes, `purge_tags` asks each cache in VARNISH_URL to drop the
responses tagged with it, once the transaction commits, through a task that
retries. Pages are also purged by URL by wagtail.contrib.frontend_cache.
A cache never decides access: view restrictions, drafts and permissions are
read from the database on every request that reaches the app.
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

# Every response a shared cache may keep carries this tag; HTML pages also
# carry PAGES, since each shows the menu and may list other pages.
ALL = "all"
PAGES = "pages"
# Statuses that are the same for every anonymous visitor when the view is.
_SHAREABLE_STATUS = {200, 203, 204, 300, 301, 304, 404, 410}


# --- Saying what may be kept ---------------------------------------------------


def cache_publicly(request, *tags):
    """The response to this request is the same for every anonymous visitor and
    shows what `tags` name (`event-12`, `catalogue`…): a shared cache may keep
    it until one of them is purged. Has no effect for a signed-in visitor, a
    preview, a response that sets a cookie, or after `keep_private`."""
    request._http_cache_tags = {*getattr(request, "_http_cache_tags", ()), *tags}


def keep_private(request):
    """No shared cache may keep this request's response, whatever else says."""
    request._http_cache_private = True


def cache_until(request, moment):
    """The response shows something that changes by itself at `moment` (an
    aware datetime: registration opens or closes): no shared copy may outlive
    it. The earliest of several moments wins; None changes nothing."""
    current = getattr(request, "_http_cache_until", None)
    if moment is not None and (current is None or moment < current):
        request._http_cache_until = moment


def shared_lifetime(request):
    """Seconds a shared cache may keep this request's response (0: not at all)."""
    lifetime = settings.CACHE_S_MAXAGE
    until = getattr(request, "_http_cache_until", None)
    if until is not None:
        left = (until - timezone.now()).total_seconds()
        lifetime = min(lifetime, max(0, math.floor(left)))
    return lifetime


def edge_cacheable(*tags):
    """Decorator for a Django view that calls `cache_publicly(request, *tags)`."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            cache_publicly(request, *tags)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _personal(request, response):
    """Whether the response belongs to this visitor alone."""
    user = getattr(request, "user", None)
    return bool(
        (user is not None and user.is_authenticated)
        or response.cookies
        # The page shows the visitor's CSRF token (Django then sets the cookie,
        # but CSRF_USE_SESSIONS would not).
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or "HTTP_AUTHORIZATION" in request.META
    )


def is_shareable(request, response):
    """Whether a shared cache may keep this response for every anonymous visitor."""
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
    return shared_lifetime(request) > 0


def response_tags(request, response):
    tags = {ALL, *request._http_cache_tags}
    if response.get("Content-Type", "").startswith("text/html"):
        tags.add(PAGES)
    return sorted(tags)


class HttpCacheMiddleware:
    """Labels every response (place it first: it must see every cookie set)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_shareable(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.CACHE_MAX_AGE,
                s_maxage=shared_lifetime(request),
                stale_while_revalidate=settings.CACHE_STALE_WHILE_REVALIDATE,
            )
            # Anonymous pages differ from members' (the cache passes those).
            patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
            response["xkey"] = " ".join(response_tags(request, response))
        elif not response.has_header("Cache-Control") or _personal(request, response):
            add_never_cache_headers(response)  # private, no-cache, no-store
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
    once the current transaction commits (no-op without VARNISH_URL).

    The tags asked for in a transaction are sent together, by the first of
    its commit callbacks to run: one request per cache, not one per change.
    Purging `pages` or `all` also renders the app's cached fragments of pages
    (menu, bodies, breadcrumbs: cms.fragments) again, with or without caches.
    """
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
    """`PURGE /` with `xkey-purge: <tags>` to each cache, a few attempts each
    with a growing pause; failures are logged (s-maxage bounds the staleness
    of what a lost purge leaves). Returns the caches that did not answer 2xx."""
    attempts = getattr(settings, "HTTP_CACHE_PURGE_ATTEMPTS", 3)
    pause = getattr(settings, "HTTP_CACHE_PURGE_BACKOFF", 0.5)
    failed = []
    for location in settings.VARNISH_URLS:
        parts = urlsplit(location)
        url = f"{parts.scheme}://{parts.netloc}/"
        for attempt in range(1, attempts + 1):
            request = Request(  # noqa: S310 - the operator's VARNISH_URL
                url, method="PURGE", headers={"xkey-purge": " ".join(tags)}
            )
            try:
                with urlopen(request, timeout=5):  # noqa: S310
                    break
            except (URLError, OSError) as error:
                logger.warning(
                    "Purge of %s at %s failed (attempt %d of %d): %s",
                    " ".join(tags),
                    url,
                    attempt,
                    attempts,
                    error,
                )
                if attempt < attempts:
                    time.sleep(pause * 2 ** (attempt - 1))
        else:
            logger.error("Purge of %s at %s given up", " ".join(tags), url)
            failed.append(location)
    return failed


def purge_on_change(model, tags_for, *, unseen_fields=()):
    """Purge `tags_for(instance)` whenever a row of `model` is saved or deleted:
    one line in an app's ready() for data its pages show. A save of only
    `unseen_fields` (shown on no cached page) purges nothing."""

    def handler(sender, instance, raw=False, update_fields=None, **kwargs):
        if raw or (update_fields and set(update_fields) <= set(unseen_fields)):
            return
        purge_tags(tags_for(instance))

    post_save.connect(handler, sender=model, weak=False)
    post_delete.connect(handler, sender=model, weak=False)


def _page_changed(sender, instance, **kwargs):
    # Menus, breadcrumbs and listings show other pages: every page may change.
    purge_tags([PAGES, f"page-{instance.pk}", "search"])


def _deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _page_changed(sender, instance)


def _shown_everywhere(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    if isinstance(instance, PageViewRestriction):
        # A page made private leaves the shared caches at once.
        purge_tags([PAGES, f"page-{instance.page_id}", "search"])
    elif isinstance(instance, CollectionViewRestriction):
        purge_tags(["search"])  # documents listed in search results
    elif isinstance(instance, BaseSiteSetting | Site):
        purge_tags([ALL])
    elif isinstance(instance, AbstractRendition) and kwargs["signal"] is post_delete:
        # Pages name the rendition's file: kept copies would show a broken image.
        purge_tags([PAGES])
    elif isinstance(instance, AbstractImage | AbstractDocument) and not created:
        update_fields = kwargs.get("update_fields")
        if not update_fields or not set(update_fields) <= {"file_size", "file_hash"}:
            purge_tags([PAGES, "search"])


def connect():
    page_published.connect(_page_changed, dispatch_uid="http_cache_published")
    page_unpublished.connect(_page_changed, dispatch_uid="http_cache_unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="http_cache_moved")
    post_delete.connect(_deleted, dispatch_uid="http_cache_page_deleted")
    post_save.connect(_shown_everywhere, dispatch_uid="http_cache_saved")
    post_delete.connect(_shown_everywhere, dispatch_uid="http_cache_deleted")
