"""Serve anonymous visitors from the shared page cache, and label every response.

Place it after WhiteNoise and before GZip, sessions and authentication: a hit
is answered without a database query, and what is stored is the compressed
body that clients accepting gzip get (except for a page with a form, stored
with a stand-in for the CSRF token and compressed once each visitor's token is
in: see cms.cache).
"""

import time

from django.conf import settings
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.middleware import gzip
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from . import cache


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Used for responses that get the visitor's CSRF token here, after the
        # inner middleware has run (or, for a hit, without it).
        self._csrf = CsrfViewMiddleware(get_response)
        self._gzip = gzip.GZipMiddleware(get_response)

    def __call__(self, request):
        token = cache.request_scope()
        try:
            return self._respond(request)
        finally:
            cache.end_request_scope(token)

    def _respond(self, request):
        if not cache.enabled():
            return self._label_private(request, self.get_response(request))
        key = version = None
        claimed = False
        if cache.request_may_use_cache(request):
            key = cache.cache_key(request)
            if key:
                version, entry, state = cache.lookup(key)
                if entry is not None:
                    return self._replay(request, entry)
                # Missing or stale: make it, unless another request already is.
                # (A cache that cannot answer claims nothing, None: no waiting.)
                claimed = cache.claim(key) if state is None else None
                if state == cache.MAKING or claimed is False:
                    entry = cache.wait_for(key)
                    if entry is not None:
                        return self._replay(request, entry)

        stored = False
        try:
            response = self.get_response(request)
            lifetime = cache.shared_lifetime(request) if key else 0
            csrf_hole = cache.has_csrf_hole(request)
            if lifetime and cache.response_is_storable(request, response):
                if not csrf_hole:
                    self._make_public(response, lifetime)
                cache.store(key, version, request, response, lifetime)
                stored = True
                response["X-Page-Cache"] = "miss"
                if csrf_hole:
                    response = self._fill_csrf_hole(request, response)
                return response
        finally:
            if claimed:
                cache.release(key, stored=stored)
        if csrf_hole:
            response = self._fill_csrf_hole(request, response)
        response["X-Page-Cache"] = "bypass"
        return self._label_private(request, response)

    def _fill_csrf_hole(self, request, response):
        """Put the visitor's CSRF token where the shared copy has `CSRF_HOLE`
        (their cookie's, or a new one set now), then compress: the response is
        theirs alone, so browsers keep it to themselves and proxies not at all."""
        if "CSRF_COOKIE" not in request.META:
            self._csrf.process_request(request)  # a hit: the inner one never ran
        token = get_token(request)
        response.content = response.content.replace(
            cache.CSRF_HOLE.encode(), token.encode()
        )
        response["Content-Length"] = str(len(response.content))
        for name in ("ETag", "Last-Modified"):
            if response.has_header(name):
                del response[name]
        add_never_cache_headers(response)
        self._csrf.process_response(request, response)  # the cookie, if new
        return self._gzip.process_response(request, response)

    @staticmethod
    def _make_public(response, lifetime):
        # Browsers revalidate every time (a cheap 304 thanks to the ETag), so a
        # visitor sees a publish at once; shared proxies may keep the page a
        # while, never past a change the page announces (`cache.valid_until`).
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            must_revalidate=True,
            s_maxage=min(getattr(settings, "PAGE_CACHE_MAX_AGE", 60), lifetime),
        )
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(time.time())

    @staticmethod
    def _label_private(request, response):
        """Responses to signed-in people, or that set cookies, stay in the browser."""
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or (response.cookies and not response.has_header("Cache-Control")):
            add_never_cache_headers(response)  # private, no-cache, no-store
        return response

    def _replay(self, request, entry):
        content, headers, effects, csrf_hole = entry
        # What the view would have done besides answering (cache.on_hit), except
        # for HEAD requests: monitors and link checkers, whom nobody counts.
        if request.method != "HEAD":
            cache.replay_on_hit(effects)
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        if csrf_hole:
            response = self._fill_csrf_hole(request, response)
            response["X-Page-Cache"] = "hit"
            return response
        conditional = get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )
        conditional["X-Page-Cache"] = "hit"
        return conditional


class SiteMiddleware:
    """Find the request's Wagtail site in the shared cache, not the database.

    Wagtail looks the site up on every page (one query) and keeps it on the
    request as `_wagtail_site`; this sets it first. Sites and their root pages
    only change in ways that replace every cached fragment (cms.cache): saving
    a site, publishing, unpublishing, moving or deleting a page. Place it after
    CommonMiddleware, which refuses hosts outside ALLOWED_HOSTS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not hasattr(request, "_wagtail_site"):
            hostname = split_domain_port(request.get_host())[0]
            port = request.get_port()

            def lookup():
                try:
                    site = get_site_for_hostname(hostname, port)
                except Site.DoesNotExist:
                    return False  # cached too: an unknown host costs no query
                # Routing starts from the root page's specific form (a query on
                # every page view); it is kept with the site, and publishing
                # the root page replaces it with every fragment.
                site.root_page = site.root_page.specific
                return site

            name = f"site:{hostname}:{port}"
            # The version and what every page reads before its content, in one
            # round trip to the cache.
            cache.prefetch_fragments(
                name, "restricted-paths", "alias-paths", "site-root-paths"
            )
            site = cache.cached_fragment(name, lookup)
            if site:
                # And, for a page, which one the path leads to (HomePage.route)
                # and its breadcrumbs.
                components = [part for part in request.path_info.split("/") if part]
                url_path = cache.path_url_path(site.root_page, components)
                page_fragments = (
                    [
                        cache.route_fragment_name(site.root_page, url_path),
                        cache.breadcrumbs_fragment_name(url_path),
                    ]
                    if components
                    else []
                )
                cache.prefetch_fragments(
                    f"site-settings:{site.pk}",
                    f"main-menu:{site.pk}",
                    cache.footer_fragment_name(site.pk),
                    *page_fragments,
                )
            # What Site.find_for_request would store, without asking again.
            request._wagtail_site = site or None
            # What Page.get_url_parts reads (from the cache, once per request
            # and again for every URL built without the request).
            request._wagtail_cached_site_root_paths = cache.cached_fragment(
                "site-root-paths", Site.get_site_root_paths
            )
        return self.get_response(request)


class GZipMiddleware(gzip.GZipMiddleware):
    """Django's, except for a page whose CSRF token is still to be put in: the
    page cache stores that one uncompressed and compresses each visitor's copy
    (PageCacheMiddleware._fill_csrf_hole)."""

    def process_response(self, request, response):
        if cache.has_csrf_hole(request):
            return response
        return super().process_response(request, response)
