"""The site-wide search page (/search/) and suggestions as you type.

Anonymous visitors' search pages may be kept by the shared HTTP cache (tag
`search`, purged whenever an index changes: search.registry.bump).
"""

import logging
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cms import http_cache

from .base import clean_text
from .popular import count_hit
from .registry import version
from .signals import PROMOTIONS
from .site import (
    SearchUnavailable,
    SiteHit,
    get_site_engine,
    shown_count,
    site_kinds,
    visible_pages,
)

logger = logging.getLogger(__name__)
MAX_PAGE = 1000


def _page_number(value):
    try:
        return min(MAX_PAGE, max(1, int(value)))
    except (TypeError, ValueError):
        return 1


def promoted_queries():
    """The (normalised) query strings that staff promoted results for.

    Kept in the cache until a promotion is saved or deleted (search.signals).
    """
    from wagtail.contrib.search_promotions.models import SearchPromotion

    key = f"search:promoted-queries:{version(PROMOTIONS)}"
    queries = cache.get(key)
    if queries is None:
        queries = set(
            SearchPromotion.objects.values_list("query__query_string", flat=True)
        )
        cache.set(key, queries, 3600)
    return queries


def count_search(request, text):
    """Count this query for the popular-queries report.

    The hit is only added up in memory; a task writes the counts off the
    request (search.popular).
    Returns the normalised query string.
    """
    from wagtail.search.utils import normalise_query_string

    query_string = normalise_query_string(text)
    count_hit(query_string)
    return query_string


def promoted_hits(query_string):
    """Staff's promoted results for this (normalised) query, live public pages
    only; a query costs a query only when it has promotions."""
    from wagtail.contrib.search_promotions.models import SearchPromotion

    if query_string not in promoted_queries():
        return []
    promotions = (
        SearchPromotion.objects.filter(query__query_string=query_string)
        .filter(Q(page__isnull=True) | Q(page__in=visible_pages().values("pk")))
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    return [
        SiteHit(
            kind="promoted",
            title=promotion.title,
            url=promotion.link,
            snippet=promotion.description,
            meta=str(_("Recommended")),
            promoted=True,
        )
        for promotion in promotions
    ]


def _url(**params):
    return "?" + urlencode({key: value for key, value in params.items() if value})


@require_GET
def search(request):
    http_cache.cache_publicly(request, "search")
    text = clean_text(request.GET.get("q", ""))
    kind = request.GET.get("kind", "")
    kind = kind if kind in site_kinds() else ""
    page = _page_number(request.GET.get("page"))
    status = 200
    result = None
    promoted = []
    try:
        result = get_site_engine().search(text, user=request.user, kind=kind, page=page)
        if text and page == 1:
            promoted = promoted_hits(count_search(request, text))
    except SearchUnavailable:
        logger.warning("Search is unavailable", exc_info=True)
        status = 503
    context = {
        "text": text,
        "kind": kind,
        "kind_label": site_kinds().get(kind, ""),
        "result": result,
        "promoted": promoted,
        "unavailable": result is None,
        "kind_links": [
            (name, label, count, _url(q=text, kind=name), shown_count(count))
            for name, label, count in (result.kinds if result else [])
        ],
        "all_shown": shown_count(result.all_total) if result else "",
        "total_shown": shown_count(result.total) if result else "",
        "all_url": _url(q=text),
        "previous_url": _url(q=text, kind=kind, page=page - 1),
        "next_url": _url(q=text, kind=kind, page=page + 1),
    }
    return render(request, "search/search.html", context, status=status)


@require_GET
def suggest(request):
    """JSON titles for the header search box; empty when search is unavailable."""
    try:
        items = get_site_engine().suggest(request.GET.get("q", ""), user=request.user)
    except SearchUnavailable:
        items = []
    response = JsonResponse({"suggestions": items})
    response["Cache-Control"] = "private, max-age=60"
    return response
