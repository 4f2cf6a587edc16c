"""Query budgets per page type (issue 8), shared by each app's test_query_budget.py.

The benchmark (bench/run.py) fails any page type over QUERY_BUDGET queries,
anonymous (page cache off) or signed in. Each app's tests pin its page types
lower, at the numbers they take now, anonymous and signed in as a member: a
change that adds a query shows up there. Where a page lists things, the count
is the same for 5 and for 50 of them.

Counts are taken as the benchmark takes them: the page is requested once to
build the shared fragments (site, settings, menu, breadcrumbs, cached lists),
then counted on the second request.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

QUERY_BUDGET = 15  # bench/run.py's


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), response.content.decode()


def assert_within(client, url, limit, *, grow=None, check=None):
    """At most `limit` queries; with `grow(start, stop)`, the same at 5 and 50 rows.

    `check(html, rows)` looks at what the page shows at each size. Returns the count.
    """
    assert limit <= QUERY_BUDGET
    if grow is not None:
        grow(0, 5)
    small, html = count_queries(client, url)
    if check is not None:
        check(html, 5)
    assert small <= limit, f"{url}: {small} queries, pinned at {limit}"
    if grow is not None:
        grow(5, 50)
        large, html = count_queries(client, url)
        if check is not None:
            check(html, 50)
        assert large == small, f"{url}: {small} queries for 5 rows, {large} for 50"
    return small
