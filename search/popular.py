"""The hits of the popular-queries report (Wagtail's search promotions), written
in batches.

Wagtail counts a search by updating the query's row for the day. Every search
of the same words updates the same row, so under load the searches wait for
each other's row lock and each one waits for its own commit to reach the disk.
Here each process adds the hits up in memory and writes them at most once every
SEARCH_HITS_FLUSH_SECONDS (one UPDATE per query searched since), and when it
stops. The report is that much behind; a process that is killed outright loses
its last few seconds of hits. 0 writes every hit at once.
"""

import atexit
import threading
import time
from collections import Counter

from django.conf import settings
from django.db.models import F
from django.utils import timezone

_lock = threading.Lock()
_pending = Counter()  # (normalised query string, UTC date) -> hits
_last_write = time.monotonic()


def _interval():
    return getattr(settings, "SEARCH_HITS_FLUSH_SECONDS", 30)


def count_hit(query_string):
    """One search of `query_string` (normalised) today (UTC, as Wagtail counts)."""
    global _last_write
    with _lock:
        _pending[(query_string, timezone.now().date())] += 1
        now = time.monotonic()
        if now - _last_write < _interval():
            return
        _last_write = now
        batch = dict(_pending)
        _pending.clear()
    write(batch)


def flush():
    """Write whatever this process has counted (also when it exits)."""
    with _lock:
        batch = dict(_pending)
        _pending.clear()
    if batch:
        write(batch)


def write(batch):
    from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

    for (query_string, day), hits in batch.items():
        added = QueryDailyHits.objects.filter(
            query__query_string=query_string, date=day
        ).update(hits=F("hits") + hits)
        if not added:
            query = Query.get(query_string)
            row, _created = QueryDailyHits.objects.get_or_create(query=query, date=day)
            QueryDailyHits.objects.filter(pk=row.pk).update(hits=F("hits") + hits)


atexit.register(flush)
