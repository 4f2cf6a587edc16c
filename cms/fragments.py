"""Parts of pages that are the same for everyone, kept in the app's cache until
a page changes (docs/performance.md).

Templates keep them with Wagtail's `{% wagtailpagecache %}` (a page's body, its
breadcrumbs, the home page's cards) and vary them on `fragments_version`
(`cms.context_processors.fragments`): a token that every purge of the `pages`
or `all` tag replaces (`cms.http_cache.purge_tags`), so whatever makes the
shared cache in front drop pages also makes these fragments be rendered again.

Only rendered content goes here, never an access decision: each request still
reads the page's view restrictions and the visitor from the database. A cache
error means no cache: the token is then new on every request, so every
fragment is rendered from the database.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "fragments:version"
# How long a fragment is kept when nothing changes (seconds): as long as the
# shared cache keeps a page (CACHE_S_MAXAGE), should a forget be lost.
TIMEOUT = 600


def version(request=None):
    """The current token (made when the cache has none); read once a request."""
    if request is not None:
        if not hasattr(request, "_fragments_version"):
            request._fragments_version = version()
        return request._fragments_version
    token = cache.get(VERSION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        # add, not set: of two requests that both found none, the first wins.
        if not cache.add(VERSION_KEY, token, None):
            token = cache.get(VERSION_KEY) or token
    return token


def forget():
    """Render every fragment again: now, and once the current transaction
    commits (a request in between may have kept what it read before)."""
    cache.delete(VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(VERSION_KEY))
