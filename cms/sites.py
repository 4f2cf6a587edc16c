"""Which Wagtail Site answers a request, kept with the page fragments.

Wagtail looks the site up with a query on every request that shows a page or
the menu (`Site.find_for_request`), then loads the site's root page as its
own type before routing (one more query). Which site a hostname and port lead
to, and its root page's place in the tree, are the same for everyone and
change only when a Site or a page changes: both purge the `all` or `pages`
tag, which renders the fragments again (cms.fragments), so the answer is kept
under the fragments' version, its root page as its own type with only the
tree's fields (`specific_deferred`, no query).

It is never an access decision: each page is read from the database and checks
its own liveness and view restrictions, and a kept root page that is asked to
serve itself (the home page's own address) is read again first
(`HomePage.route`).
"""

import hashlib

from django.core.cache import cache
from django.http.request import split_domain_port
from wagtail.models import Site

from . import fragments

# Set on a root page that comes from the cache: its own fields are not loaded
# and whether it is live may be out of date.
KEPT = "_kept_with_site"


def _key(request):
    hostname = split_domain_port(request._get_raw_host())[0]
    place = f"{hostname}:{request.get_port()}"
    digest = hashlib.md5(place.encode(), usedforsecurity=False).hexdigest()
    return f"site-for-request:{digest}:{fragments.version(request)}"


def find_for_request(request):
    """`Site.find_for_request`, from the cache when it has the answer. Each
    request gets its own copy (nothing is shared between requests)."""
    key = _key(request)
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is None:
            return None
        root = site.root_page.specific_deferred
        root.__dict__[KEPT] = True
        site.root_page = root
        cache.set(key, site, fragments.TIMEOUT)
    return site


def kept_with_site(page):
    """Whether `page` is a root page from the cache (see KEPT)."""
    return page.__dict__.get(KEPT, False)


class SiteMiddleware:
    """Gives Wagtail the request's Site (`request._wagtail_site`, which
    `Site.find_for_request` reads first) from the cache. After
    CommonMiddleware: the host has passed ALLOWED_HOSTS. The JSON API shows
    no page and needs no site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not hasattr(request, "_wagtail_site") and not request.path_info.startswith(
            "/api/"
        ):
            request._wagtail_site = find_for_request(request)
        return self.get_response(request)
