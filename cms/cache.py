"""The shared page cache: whole responses for anonymous visitors.

A response is stored only when everything about it is the same for every
anonymous visitor:

- the request is a GET without a session or messages cookie (so nobody signed
  in, no pending messages) and without an Authorization header;
- the view opted in: every Wagtail page does (through the `before_serve_page`
  hook below) unless it has view restrictions (private pages) or sets
  `page_cache_enabled = False` (a page may name what else it depends on with a
  `page_cache_depends_on()` method); Django views opt in with `@cache_public`, or
  `mark_cacheable(request)` in their body;
- the response is a 200, not streamed, sets no cookie and does not say
  private or no-store.

A page with a form (an event's registration form, a contact form) is the same
for every visitor but for the CSRF token. Its shared copy is made with a
stand-in where the token goes (`csrf_token` renders `CSRF_HOLE` on such a
request: cms.context_processors.csrf) and is stored uncompressed; every
response made from it, the first and each hit, gets the visitor's own token
(from their CSRF cookie, or a new one set with that response) and is private to
them. No token is ever stored in the shared cache.

Entries carry the version number kept in the cache itself, and a hit is an
entry whose version is the current one: one round trip reads both. Publishing,
unpublishing, moving or deleting a page bumps it: every page shows the
navigation and may list its siblings, so any change to the tree can change any
page. Apps whose pages show other data (seats left, catalogue counts) call
`invalidate()` when that data changes, or opt the page out; or, so that their
changes do not empty the whole cache, name the version keys their views
depend on (`depends_on`: keys in the default cache whose value changes with
the data, such as a search index's version): an entry also records those
values, and is a hit only while they are unchanged.

A hit never runs the view, so anything the view does besides making the
response is lost for it. A view that must do something on every request (count
a search for the popular-queries report) does it itself and also registers it
with `on_hit(request, "dotted.path", *args)`: the entry keeps the path and the
arguments, and the middleware calls them again on each hit it answers.

The middleware (cms.middleware.PageCacheMiddleware) answers from here before
sessions, authentication or the database are touched.
"""

import contextvars
import hashlib
import logging
import math
import re
import time
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from wagtail import hooks
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
# Where an entry keeps what to call on each hit (`on_hit`), beside its versions.
ON_HIT_KEY = "pagecache:on-hit"
# Where an entry notes that its body holds the CSRF stand-in, beside its versions.
CSRF_HOLE_KEY = "pagecache:csrf-hole"
# The stand-in for the visitor's CSRF token in a shared copy: as long as a token.
CSRF_HOLE = "page-cache-csrf-token-of-this-visitor".ljust(64, "-")
# The version read once per request (PageCacheMiddleware opens the scope), so
# the fragments of one page cost one round trip each to the cache, not two.
_request_version = contextvars.ContextVar("page_cache_request_version", default=None)
# Fragments already read in this request (name -> value), so that the fragments
# of the page frame cost one round trip together (see `prefetch_fragments`).
_request_fragments = contextvars.ContextVar("page_cache_fragments", default=None)
MESSAGES_COOKIE = "messages"
_GZIP_RE = re.compile(r"\bgzip\b")
# Header names a stored response may vary on: all of them are part of the key.
_KEYED_VARY = {"cookie", "accept-language", "accept-encoding"}
# Hop-by-hop or per-response headers that are never replayed from the cache.
_SKIPPED_HEADERS = {"set-cookie", "x-page-cache", "date", "age"}


def _setting(name, default):
    return getattr(settings, name, default)


def enabled():
    return _setting("PAGE_CACHE_ENABLED", True)


def _cache():
    return caches[_setting("PAGE_CACHE_ALIAS", "default")]


def current_version():
    """The version that current cache keys carry; created on first use.

    A fresh version is the current time in milliseconds, never a small counter:
    if the key is evicted, restarting at 1 could revive entries written long ago.
    """
    memo = _request_version.get()
    if memo:
        return memo[0]
    return _remember(_cache().get(VERSION_KEY))


def _remember(version):
    """Create the version if the cache has none; keep it for the request."""
    if version is None:
        cache = _cache()
        cache.add(VERSION_KEY, int(time.time() * 1000), None)
        version = cache.get(VERSION_KEY)
    memo = _request_version.get()
    if memo is not None and not memo:
        memo.append(version)
    return version


def request_scope():
    """Start remembering the version and the fragments read for the current
    request; returns a token for `end_request_scope`."""
    return _request_version.set([]), _request_fragments.set({})


def end_request_scope(token):
    version_token, fragments_token = token
    _request_version.reset(version_token)
    _request_fragments.reset(fragments_token)


def invalidate():
    """Make every stored page stale at once (they expire out of the cache later).

    Inside a transaction the version is bumped again after the commit: a
    request that rebuilt a fragment between the change and the commit read the
    old rows, and must not keep them under the new version (view restrictions
    are read from such a fragment).
    """
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        transaction.on_commit(_bump)


def _bump():
    cache = _cache()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(time.time() * 1000), None)
    memo = _request_version.get()
    if memo:
        memo.clear()  # the rest of this request sees the new version
    fragments = _request_fragments.get()
    if fragments:
        fragments.clear()


# --- Requests and responses -------------------------------------------------


def request_may_use_cache(request):
    """Whether this request may be answered from, or stored in, the shared cache."""
    if not enabled() or request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return not getattr(request, "is_dummy", False)


def cache_key(request):
    """The entry for this URL, host, language and encoding; None if unusable."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    language = translation.get_language_from_request(request)
    gzip = "gz" if _GZIP_RE.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else ""
    url = hashlib.md5(  # noqa: S324 - a cache key, not security
        request.get_full_path().encode(), usedforsecurity=False
    ).hexdigest()
    return f"pagecache:{host}:{language}:{gzip}:{url}"


def mark_cacheable(request, depends_on=()):
    """Opt this request's response in to the shared cache (if it qualifies).

    `depends_on`: version keys (in the default cache) of the data the response
    shows; their values are read now, before the response is made, so that a
    change while it is being made leaves the stored entry stale at once. A
    mapping of those keys to the values the caller has just read, before
    making anything (`data_versions`), is taken as it is.
    """
    if getattr(request, "_page_cache", None) is not None:
        return
    request._page_cache = True
    if isinstance(depends_on, dict):
        request._page_cache_depends = dict(depends_on)
    elif depends_on:
        values = caches["default"].get_many(list(depends_on))
        if len(values) != len(set(depends_on)):
            request._page_cache = False  # a version not made yet: nothing to check
        else:
            request._page_cache_depends = values


def on_hit(request, path, *args):
    """Call `path(*args)` (a dotted path to a function) again on each cache hit
    that answers this request's URL, once the response is stored.

    For a view's side effects that must happen on every request, such as
    counting a search: the view does them itself for this request; hits do not
    run it. The arguments are pickled with the entry. Paths are resolved when
    registered (a typo fails here, not on a hit) and trusted when replayed:
    entries are written by this code only, and whoever could write to the
    cache could already run code through the pickled entries.
    """
    import_string(path)
    request._page_cache_on_hit = [
        *getattr(request, "_page_cache_on_hit", ()),
        (path, args),
    ]


def replay_on_hit(effects):
    """Call what the view registered with `on_hit`; one that fails is logged,
    and the page is served all the same."""
    for path, args in effects:
        try:
            import_string(path)(*args)
        except Exception:
            logger.exception("Page cache: %s failed on a hit", path)


def valid_until(request, moment):
    """The response shows something that changes by itself at `moment` (an
    aware datetime: registration opens or closes): no shared copy may outlive
    it. The earliest of several moments wins; None changes nothing."""
    if moment is None:
        return
    current = getattr(request, "_page_cache_until", None)
    if current is None or moment < current:
        request._page_cache_until = moment


def shared_lifetime(request):
    """Seconds a shared copy of this response may be kept (0: not at all)."""
    lifetime = _setting("PAGE_CACHE_TIMEOUT", 600)
    until = getattr(request, "_page_cache_until", None)
    if until is not None:
        left = (until - timezone.now()).total_seconds()
        lifetime = min(lifetime, max(0, math.floor(left)))
    return lifetime


def may_share(request):
    """Whether the response being made may still end up in the shared cache:
    the view opted in and the visitor is anonymous."""
    if getattr(request, "_page_cache", None) is not True:
        return False
    if not request_may_use_cache(request):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


class CsrfTokenHole:
    """What `{{ csrf_token }}` is on a request whose page may be shared: it
    renders `CSRF_HOLE` and notes that the response must have the visitor's
    token put in (`has_csrf_hole`; cms.middleware fills it)."""

    def __init__(self, request):
        self._request = request

    def __str__(self):
        self._request._page_cache_csrf_hole = True
        return CSRF_HOLE


def has_csrf_hole(request):
    """Whether this request's response holds `CSRF_HOLE` for its token."""
    return getattr(request, "_page_cache_csrf_hole", False)


def mark_uncacheable(request):
    """Keep this request's response out of the shared cache, whatever else says."""
    request._page_cache = False


def response_is_storable(request, response):
    """Whether a response to an opted-in anonymous request can be shared."""
    if getattr(request, "_page_cache", None) is not True:
        return False
    if request.method != "GET" or response.status_code != 200:
        return False
    if response.streaming or response.cookies:
        return False
    if getattr(request, "is_preview", False) or getattr(request, "is_dummy", False):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {
        item.strip().lower()
        for item in response.get("Vary", "").split(",")
        if item.strip()
    }
    return vary <= _KEYED_VARY


def freeze(response):
    """What the cache stores: the body and the headers worth replaying."""
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in _SKIPPED_HEADERS
    ]
    return (response.content, headers)


def store(key, version, request, response, lifetime):
    """Keep the response as current for `version`, the one read before it was made
    (a page changed while it was being made is stale at once), and for the
    versions of what the view said it depends on, for `lifetime` seconds."""
    content, headers = freeze(response)
    depends = getattr(request, "_page_cache_depends", {})
    versions = {VERSION_KEY: version, **depends}
    if has_csrf_hole(request):
        versions[CSRF_HOLE_KEY] = True
    effects = getattr(request, "_page_cache_on_hit", ())
    if effects:
        # Kept with the versions, where a process from before `on_hit` (in a
        # rolling restart) sees a version that is not in the cache: a miss,
        # not an entry of a shape it cannot read.
        versions[ON_HIT_KEY] = tuple(effects)
    _cache().set(key, (versions, content, headers), lifetime)


def lookup(key):
    """The current version, the entry stored for it under `key` (or None), and
    the state of the page's making (`MAKING`, `PASSING` or None; see `claim`).

    An entry is `(content, headers, effects, csrf_hole)`: what to send, what
    to call on the hit (`on_hit`, `replay_on_hit`) and whether the content
    holds `CSRF_HOLE` for the visitor's token.

    One round trip to the cache reads all three; an entry that depends on other
    versions (`mark_cacheable(depends_on=…)`) costs a second one to check them.
    """
    making = _making_key(key)
    values = _cache().get_many([VERSION_KEY, key, making])
    version = _remember(values.get(VERSION_KEY))
    state = values.get(making)
    entry = values.get(key)
    if entry is None:
        return version, None, state
    versions, content, headers = entry
    if not isinstance(versions, dict) or versions.pop(VERSION_KEY, None) != version:
        return version, None, state
    effects = versions.pop(ON_HIT_KEY, ())
    csrf_hole = versions.pop(CSRF_HOLE_KEY, False)
    if versions and caches["default"].get_many(list(versions)) != versions:
        return version, None, state
    return version, (content, headers, effects, csrf_hole), state


# --- The stampede guard ----------------------------------------------------------
# When a page is missing or stale (after a publish, say) and many visitors ask
# for it at once, one request makes it while the others wait a moment for the
# stored copy, instead of all of them making it at the same time. A page that
# turns out not to be storable (a form with errors, a cookie set) is marked
# PASSING for a while, so that nobody waits for it.

MAKING = "making"
PASSING = "pass"


def _making_key(key):
    return f"{key}:making"


def claim(key):
    """Whether this request makes the page (True), or another one already is."""
    return _cache().add(
        _making_key(key), MAKING, _setting("PAGE_CACHE_MAKING_SECONDS", 10)
    )


def release(key, *, stored):
    """The maker is done: the page is stored, or nobody should wait for it."""
    if stored:
        _cache().delete(_making_key(key))
    else:
        _cache().set(_making_key(key), PASSING, _setting("PAGE_CACHE_PASS_SECONDS", 60))


def wait_for(key):
    """The entry another request is making, once it is stored; None when it
    gives up (the page was not storable), is stored for an older version, or
    takes longer than PAGE_CACHE_WAIT_SECONDS: then the caller makes it."""
    deadline = time.monotonic() + _setting("PAGE_CACHE_WAIT_SECONDS", 2)
    while time.monotonic() < deadline:
        time.sleep(_setting("PAGE_CACHE_POLL_SECONDS", 0.02))
        _version, entry, state = lookup(key)
        if entry is not None or state != MAKING:
            return entry
    return None


# --- Views -------------------------------------------------------------------


def cache_public(view=None, *, depends_on=()):
    """Decorator: a Django view whose anonymous GET responses may be shared.

    Use it only for views whose output depends on nothing but the URL (and the
    language) and the data that `invalidate()` or `depends_on` (version keys,
    see `mark_cacheable`) follow; anything that reads the user, the session or
    a cookie must not. `depends_on` may be a callable returning the keys.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            keys = depends_on() if callable(depends_on) else depends_on
            mark_cacheable(request, keys)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


@hooks.register("before_serve_page")
def _opt_in_wagtail_pages(page, request, serve_args, serve_kwargs):
    """Every public Wagtail page takes part unless it opts out.

    A page with view restrictions on itself or an ancestor (login, groups,
    password) is private and never shared, even after the visitor passes.
    """
    if request.method not in ("GET", "HEAD") or not request_may_use_cache(request):
        return
    if not getattr(page, "page_cache_enabled", True):
        mark_uncacheable(request)
        return
    if any(page.path.startswith(path) for path in restricted_paths()):
        mark_uncacheable(request)
        return
    depends_on = getattr(page, "page_cache_depends_on", None)
    mark_cacheable(request, depends_on() if depends_on else ())


def restricted_paths():
    """Tree paths of every page with a view restriction (its subtree is private).

    Kept in the cache until a restriction or a page changes, so that deciding
    costs no query on a page's way to the cache.
    """
    return cached_fragment(
        "restricted-paths",
        lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True)),
    )


def alias_paths():
    """Tree paths of every alias page (a page under one takes its source's
    view restrictions), kept like `restricted_paths`."""
    return cached_fragment(
        "alias-paths",
        lambda: list(
            Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
        ),
    )


def may_have_view_restrictions(page):
    """Whether a view restriction can apply to this page.

    False when neither the page nor an ancestor has one and none of them is an
    alias; decided from the cache, without a query.
    """
    path = page.path or ""
    if page.alias_of_id is not None:
        return True
    if any(path.startswith(alias) for alias in alias_paths()):
        return True
    return any(path.startswith(restricted) for restricted in restricted_paths())


def public_pages(pages):
    """Wagtail's `pages.public()` without its query for the view restrictions.

    Leaves out every page with a view restriction on itself or an ancestor, as
    `public()` does, from the restricted paths kept in the cache.
    """
    private = Q()
    for path in restricted_paths():
        private |= Q(path__startswith=path)
    return pages.exclude(private) if private else pages


# --- Fragments ----------------------------------------------------------------


def cached_fragment(name, build, *, timeout=None):
    """The value of `build()`, shared until the next page change.

    For expensive pieces of pages that every visitor sees the same way, such as
    the main navigation. The name must include everything the value depends on
    (site, language). Private data must never be cached here.

    Entries carry the version they were built under, like stored pages, so a
    fragment and the version are read in one round trip (`prefetch_fragments`).
    """
    fragments = _request_fragments.get()
    if fragments is not None and name in fragments:
        return fragments[name]
    cache = _cache()
    version = current_version()
    entry = cache.get(_fragment_key(name))
    if entry is not None and entry[0] == version:
        value = entry[1]
    else:
        value = build()
        cache.set(
            _fragment_key(name),
            (version, value),
            timeout or _setting("PAGE_CACHE_TIMEOUT", 600),
        )
    if fragments is not None:
        fragments[name] = value
    return value


def prefetch_fragments(*names):
    """Read these fragments (and the version, if not read yet) in one round trip;
    `cached_fragment` then finds them for the rest of the request.

    Fragments missing or stale are left for `cached_fragment` to build.
    """
    fragments = _request_fragments.get()
    if fragments is None:
        return
    wanted = [name for name in names if name not in fragments]
    if not wanted:
        return
    memo = _request_version.get()
    keys = [_fragment_key(name) for name in wanted]
    values = _cache().get_many(keys if memo else [VERSION_KEY, *keys])
    version = memo[0] if memo else _remember(values.get(VERSION_KEY))
    for name, key in zip(wanted, keys, strict=True):
        entry = values.get(key)
        if entry is not None and entry[0] == version:
            fragments[name] = entry[1]


def path_url_path(root_page, path_components):
    """The url_path of the page a request's path names under a site's root."""
    return root_page.url_path + "".join(f"{part}/" for part in path_components)


def route_fragment_name(root_page, url_path):
    """The fragment that says which page a url_path leads to under a site's root
    (cms.models.HomePage.route); SiteMiddleware reads it with the others."""
    digest = hashlib.md5(url_path.encode(), usedforsecurity=False).hexdigest()
    return f"route:{root_page.pk}:{digest}"


def breadcrumbs_fragment_name(url_path):
    """A page's breadcrumbs, named by its url_path (known from the request's
    path, so that SiteMiddleware reads them with the other fragments)."""
    return f"breadcrumbs:{url_path}"


def footer_fragment_name(site_pk):
    """The site's footer in the request's language ({% site_footer %})."""
    return f"site-footer:{site_pk}:{translation.get_language()}"


def _fragment_key(name):
    return f"fragment:{name}"


# --- Invalidation --------------------------------------------------------------


# What pages show besides pages: a change to one of these replaces them.
_MEDIA = (AbstractImage, AbstractDocument)
_SHOWN_ON_PAGES = (Page, Site, PageViewRestriction, AbstractRendition, *_MEDIA)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_changed(sender, **kwargs):
    invalidate()


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs):
    # A deleted rendition's file is gone too: pages must name the one made next.
    if isinstance(instance, _SHOWN_ON_PAGES):
        invalidate()


@receiver(post_save)
def _media_changed(sender, instance, created=False, update_fields=None, **kwargs):
    # Pages show images and documents (their renditions, titles, links): a
    # changed one is shown afresh. A new one is on no page yet, and Wagtail
    # fills in a file's size and hash by itself when it first needs them.
    if created or not isinstance(instance, _MEDIA):
        return
    if update_fields and set(update_fields) <= {"file_size", "file_hash"}:
        return
    invalidate()


@receiver(post_save)
def _alias_created(sender, instance, created=False, **kwargs):
    if created and isinstance(instance, Page) and instance.alias_of_id is not None:
        invalidate()


@receiver(post_save)
def _site_settings_changed(sender, instance, created=False, **kwargs):
    # Site settings (organisation name, footer) and sites appear on every page;
    # a new view restriction makes a subtree private at once. Settings are
    # created with their defaults by the first page that shows them (for_site),
    # so their creation changes nothing that was shown.
    if isinstance(instance, BaseSiteSetting) and created:
        return
    if isinstance(instance, BaseSiteSetting | Site | PageViewRestriction):
        invalidate()


def _data_key(name):
    return f"pagecache:data:{name}"


def data_version(name):
    """The current version of one kind of data (a random token, made if
    missing); caches of what is made from that data carry it in their keys."""
    key = _data_key(name)
    return _versions([key], None)[0]


def data_version_key(name):
    """The version key (default cache) of one kind of data that some pages show,
    made if missing: what those pages name in `depends_on`."""
    return data_version_keys(name)[0]


def data_version_keys(*names, timeout=None):
    """`data_version_key` of several kinds of data in one round trip (two when
    some are missing and made now).

    `timeout`: seconds a version made now is kept (None: for ever). A version
    that expires is made anew, which makes what depended on it stale, like a
    change; versions named after rows (one per thread, say) are kept a while
    only, so that addresses of rows that do not exist cannot fill the cache.
    """
    keys = [_data_key(name) for name in names]
    _versions(keys, timeout)
    return keys


def data_versions(*names, timeout=None):
    """The current versions of several kinds of data (made if missing), in one
    round trip, by version key: what a cache of things made from that data puts
    in its keys, and what `mark_cacheable` takes as `depends_on` (read already)."""
    keys = [_data_key(name) for name in names]
    return dict(zip(keys, _versions(keys, timeout), strict=True))


def _versions(keys, timeout):
    cache = caches["default"]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, timeout)
            found[key] = cache.get(key)
    return [found[key] for key in keys]


def bump_data_version(name, *, timeout=None):
    """The data changed: pages and caches that depend on it are stale, now and
    again after the commit (one made in between may have read the old rows).
    `timeout` as for `data_version_keys`."""
    key = _data_key(name)

    def forget():
        caches["default"].set(key, uuid.uuid4().hex, timeout)

    forget()
    transaction.on_commit(forget)


def invalidate_on_change(model, data=None):
    """Bump the page cache whenever a row of `model` is saved or deleted.

    For apps whose pages show a model's data: `invalidate_on_change(Model)` in
    their AppConfig.ready() makes every cached page stale; with `data="name"`
    only the pages that depend on `data_version_key("name")` are.
    """

    def handler(sender, **kwargs):
        if data is None:
            invalidate()
        else:
            bump_data_version(data)

    post_save.connect(handler, sender=model, weak=False)
    post_delete.connect(handler, sender=model, weak=False)
    return handler
