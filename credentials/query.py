"""Turning URL parameters into a search query, and back."""

from urllib.parse import urlencode

from search.base import SearchQuery

from .search import FACET_NAMES, SORTS

DEFAULT_PER_PAGE = 20
MORE_SIZE = 50


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def query_from_params(params, *, per_page=DEFAULT_PER_PAGE, facets=FACET_NAMES):
    """A SearchQuery from a QueryDict: `q`, one parameter per facet, sort, page.

    Anything unknown or malformed is dropped, so every URL gives a page.
    """
    filters = {
        name: tuple(params.getlist(name))
        for name in FACET_NAMES
        if params.getlist(name)
    }
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        sort = "relevance"
    page = _int(params.get("page"), 1)
    page = page if 0 < page < 100_000 else 1
    more = params.getlist("more")
    return SearchQuery(
        text=params.get("q", ""),
        filters=filters,
        facets=tuple(facets),
        sort=sort,
        page=page,
        per_page=_int(params.get("per_page"), per_page),
        facet_sizes={name: MORE_SIZE for name in more if name in FACET_NAMES},
    )


def params_for(query, **changes):
    """The URL query string for this query, with some parameters changed."""
    params = []
    if query.text:
        params.append(("q", query.text))
    for name, values in query.filters.items():
        params.extend((name, value) for value in values)
    if query.sort != "relevance":
        params.append(("sort", query.sort))
    params.extend(("more", name) for name in query.facet_sizes)
    if query.page != 1:
        params.append(("page", str(query.page)))
    for key, value in changes.items():
        params = [(k, v) for k, v in params if k != key]
        if value is not None:
            params.append((key, str(value)))
    return urlencode(params)


def toggle_params(query, name, value):
    """The query string with one facet value ticked or unticked (back to page 1)."""
    filters = {k: list(v) for k, v in query.filters.items()}
    values = filters.setdefault(name, [])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    changed = SearchQuery(
        text=query.text,
        filters={k: tuple(v) for k, v in filters.items() if v},
        sort=query.sort,
        facet_sizes=query.facet_sizes,
    )
    return params_for(changed)
