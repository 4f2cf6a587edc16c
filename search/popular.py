"""The hits of the popular-queries report (Wagtail's search promotions), counted
off the request.

Wagtail counts a search by updating the query's row for the day, inside the
request: under load the searches of the same words wait for each other's row
lock, and the request that wrote a batch of them held its worker for seconds.
Here a search only adds one to a counter in the process's memory (`count_hit`:
no query, no I/O). A background thread of the process hands what it counted
to a task every SEARCH_HITS_FLUSH_SECONDS (and at exit), and the task
(`search.tasks.write_search_hits`, run by the worker) writes any number of
queries in three statements (`write`) and keeps the query log bounded
(`age_out`). The report is that much behind; a process killed outright loses
its last few seconds of hits. With SEARCH_HITS_FLUSH_SECONDS = 0 (the tests)
each hit is handed over at once.
"""

import atexit
import logging
import threading
from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pending = Counter()  # (normalised query string, UTC date) -> hits
_flusher = None
# Wagtail's Query.query_string
MAX_QUERY_STRING_LENGTH = 255
BATCH_SIZE = 1000


def _interval():
    return getattr(settings, "SEARCH_HITS_FLUSH_SECONDS", 30)


def count_hit(query_string):
    """One search of `query_string` (normalised) today (UTC, as Wagtail counts).

    Only adds to a counter in memory: safe and cheap inside a request.
    """
    with _lock:
        _pending[(query_string[:MAX_QUERY_STRING_LENGTH], timezone.now().date())] += 1
    if not _interval():
        flush()
    else:
        _start_flusher()


def _start_flusher():
    """One daemon thread per process (started after a fork, at the first hit)."""
    global _flusher
    if _flusher is not None and _flusher.is_alive():
        return
    with _lock:
        if _flusher is not None and _flusher.is_alive():
            return
        _flusher = threading.Thread(
            target=_flush_every_interval, name="search-hits", daemon=True
        )
        _flusher.start()


def _flush_every_interval():
    wake = threading.Event()
    while not wake.wait(max(1, _interval())):
        try:
            flush()
        except Exception:
            logger.exception("Search hits could not be handed over")
        finally:
            connection.close()  # this thread's own connection, if it made one


def take():
    """What this process counted since the last hand-over, as task arguments."""
    with _lock:
        batch = [
            [query, day.isoformat(), hits] for (query, day), hits in _pending.items()
        ]
        _pending.clear()
    return batch


def flush():
    """Hand what this process counted to the task that writes it."""
    batch = take()
    if batch:
        from .tasks import write_search_hits

        write_search_hits.enqueue(batch)


def write(rows):
    """Add these hits ([query string, ISO date, hits]) to the report.

    Three statements per thousand rows whatever the number of queries: the
    missing queries inserted, their ids read, and every day's count added in
    one INSERT ... ON CONFLICT (PostgreSQL and SQLite alike).
    """
    from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

    table = QueryDailyHits._meta.db_table
    merged = Counter()
    for query_string, day, hits in rows:
        merged[(query_string[:MAX_QUERY_STRING_LENGTH], day)] += int(hits)
    items = sorted(merged.items())
    with transaction.atomic():
        for start in range(0, len(items), BATCH_SIZE):
            chunk = items[start : start + BATCH_SIZE]
            strings = {query_string for (query_string, _day), _hits in chunk}
            Query.objects.bulk_create(
                [Query(query_string=s) for s in sorted(strings)],
                ignore_conflicts=True,
            )
            ids = dict(
                Query.objects.filter(query_string__in=strings).values_list(
                    "query_string", "pk"
                )
            )
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            params = []
            for (query_string, day), hits in chunk:
                params += [ids[query_string], date.fromisoformat(day), hits]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (query_id, date, hits) VALUES {values} "  # noqa: S608 - the table name is the model's; values are parameters
                    f"ON CONFLICT (query_id, date) DO UPDATE "
                    f"SET hits = {table}.hits + excluded.hits",
                    params,
                )


def age_out(today=None):
    """Keep the query log bounded.

    Day rows older than WAGTAILSEARCH_HITS_MAX_AGE (7 days) go (Wagtail's own
    rule); so do queries searched once and not again for
    SEARCH_ONE_OFF_QUERY_DAYS (2), and queries left with no hits, unless staff
    promoted results for them.
    """
    from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

    today = today or timezone.now().date()
    QueryDailyHits.garbage_collect()
    cutoff = today - timedelta(days=getattr(settings, "SEARCH_ONE_OFF_QUERY_DAYS", 2))
    one_off = (
        Query.objects.filter(editors_picks__isnull=True)
        .annotate(total=Sum("daily_hits__hits"), last=Max("daily_hits__date"))
        .filter(total__lte=1, last__lt=cutoff)
    )
    Query.objects.filter(pk__in=one_off.values("pk")).delete()
    Query.garbage_collect()


def age_out_now_and_then():
    """`age_out`, at most once an hour across processes (a cache key)."""
    if cache.add("search:hits:aged-out", True, 3600):
        age_out()


atexit.register(flush)
