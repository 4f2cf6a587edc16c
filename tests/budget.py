"""Query budgets per page type (issue 8), shared by each app's test_query_budget.py.

The benchmark (bench/run.py) fails any page type over QUERY_BUDGET queries,
anonymous or signed in. Each app's tests pin its page types lower, at the
numbers they take now, anonymous and signed in as a member: a change that adds
a query shows up there. Where a page lists things, the count is the same for 5
and for 50 of them.

Each page is counted twice: warm (the page was just requested, so what the
app may keep in its cache, such as search results, is there) and cold (the
cache cleared before the request, as after a deploy or a Redis restart), so
that an N+1 hidden by a warm cache shows.
"""

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

QUERY_BUDGET = 15  # bench/run.py's


def count_queries(client, url, *, cold=False):
    # Per-process lookups (content types…) are made; twice, as the first
    # request of a test may create a row (the site's settings) whose save
    # renews the page fragments (cms.fragments) that the next one keeps.
    client.get(url)
    client.get(url)
    if cold:
        for cache in caches.all():
            cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), response.content.decode()


def assert_within(client, url, limit, *, cold=None, grow=None, check=None):
    """At most `limit` queries warm and `cold` (default: `limit`) cold; with
    `grow(start, stop)`, the same counts at 5 and 50 rows.

    `check(html, rows)` looks at what the page shows at each size. Returns the
    counts (warm, cold) at 5 rows.
    """
    cold = limit if cold is None else cold
    assert limit <= QUERY_BUDGET  # the benchmark's, measured warm
    if grow is not None:
        grow(0, 5)
    small = _measure(client, url, check, 5)
    assert small[0] <= limit, f"{url}: {small[0]} queries warm, pinned at {limit}"
    assert small[1] <= cold, f"{url}: {small[1]} queries cold, pinned at {cold}"
    if grow is not None:
        grow(5, 50)
        large = _measure(client, url, check, 50)
        assert large == small, f"{url}: {small} queries for 5 rows, {large} for 50"
    return small


def _measure(client, url, check, rows):
    counts = []
    for cold in (False, True):
        count, html = count_queries(client, url, cold=cold)
        if check is not None:
            check(html, rows)
        counts.append(count)
    return tuple(counts)
