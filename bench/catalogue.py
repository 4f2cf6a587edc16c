"""The catalogue benchmark: a query, two facets and all facet counts at 100,000 entries.

    .venv/bin/python bench/catalogue.py [--database mc_bench] [--count 100000]

Uses a PostgreSQL database (created and migrated when missing; `mc_bench` by
default, the harness's, or BENCH_DATABASE), tops the catalogue up to `--count`
generated entries with `manage.py seed_bench --credentials N` when it has fewer,
then times, in the server process, a fixed list of one-to-three-word queries,
each with two facet values selected and every facet counted:

- the catalogue page (/catalogue/?q=…&facet=…&facet=…), rendered in full;
- the same query through the API (/api/v1/credentials?…);
- the search engine call alone;

all without the result cache, and the page once more with it (repeated queries).
The list also has the catalogue as first opened (no words, every facet
counted), facets alone, and single words.

With `--engine both` (the default) the same requests run again, uncached, with
Elasticsearch on the stand-in engine (bench/stand_in.py: osmem-server, the
first 5,000 entries), and a table shows both engines' p50/p95 side by side.

It prints p50, p95 and max per kind, against the target p95 < 100 ms, and exits
non-zero only when a request fails.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    report_timings,
    setup_django,
    side_by_side,
    timed_get,
)

TARGET_P95_MS = 100
QUERIES = [
    "data",
    "data analytics",
    "cyber security",
    "project management",
    "sql",
    "python dashboards",
    "agile leadership",
    "health care",
    "heat pump installation",
    "digital marketing",
    "accessibility",
    "supply chain logistics",
    "machine learning",
    "cloud security",
    "incident response",
    "building information modelling",
    "statistics",
    "lean process",
    "mental health",
    "robotics maintenance",
]
FACET_PAIRS = [
    {"mode": "online", "cost": "free"},
    {"level": "intermediate", "provider_type": "college"},
    {"language": "en", "duration": "5-8"},
    {"mode": "hybrid", "osap": "yes"},
    {"cost": "500-1000", "level": "advanced"},
]


def ensure_entries(count):
    from django.core.management import call_command
    from django.db import connection

    from credentials.bench import BENCH_PREFIX
    from credentials.models import MicroCredential

    have = MicroCredential.objects.filter(external_id__startswith=BENCH_PREFIX).count()
    if have < count:
        print(f"Seeding {count:,} catalogue entries (had {have:,})…", flush=True)
        started = time.monotonic()
        call_command("seed_bench", "--credentials", str(count))
        print(f"Seeded in {time.monotonic() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        # As autovacuum leaves a table at rest: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE")
    return MicroCredential.objects.count(), MicroCredential.objects.public().count()


# What issue 19 measured besides: the catalogue as first opened (no words, no
# filter, every facet counted), browsing by facets alone, and one word alone.
BROWSE = [
    ("", {}),
    ("", {"mode": "online"}),
    ("", {"skill": "python"}),
    ("", {"level": "advanced", "cost": "free"}),
]
ONE_WORD = ["data", "assessment", "statistics", "leadership", "python"]


def cases():
    for number, text in enumerate(QUERIES):
        yield text, FACET_PAIRS[number % len(FACET_PAIRS)]
    yield from BROWSE
    for text in ONE_WORD:
        yield text, {}


def measure(rounds, *, cached=False, warm_up=True):
    from django.conf import settings
    from django.test import Client

    from credentials.search import FACET_NAMES, INDEX_NAME
    from search.base import SearchQuery
    from search.registry import get_engine

    # Cold: every search runs in the database. Cached: repeated searches reuse
    # the result cache, as popular queries do in production.
    settings.SEARCH_CACHE_TIMEOUT = 300 if cached else 0
    client = Client()
    engine = get_engine(INDEX_NAME)
    timings = {"catalogue page": [], "API": [], "engine only": []}
    totals = {}
    failures = []
    # Round 0 warms up (untimed) unless `warm_up` is off.
    for round_number in range(0 if warm_up else 1, rounds + 1):
        for text, facets in cases():
            params = urlencode({"q": text, **facets})
            name = params  # a word alone and with facets are two cases
            for kind, url in [
                ("catalogue page", f"/catalogue/?{params}"),
                ("API", f"/api/v1/credentials?{params}"),
            ]:
                response, elapsed = timed_get(client, url, failures)
                if round_number:
                    timings[kind].append(elapsed)
                if kind == "API" and round_number <= 1:
                    totals[name] = response.json()["total"]
            started = time.perf_counter()
            engine.search(
                SearchQuery(
                    text=text,
                    filters={name: (value,) for name, value in facets.items()},
                    facets=FACET_NAMES,
                )
            )
            if round_number:
                timings["engine only"].append((time.perf_counter() - started) * 1000)
    return timings, totals, failures


def measure_stand_in(rounds, subset):
    """The same, uncached, with the catalogue on the stand-in engine."""
    from bench import stand_in

    with stand_in.stand_in_engine(prefix="bench-catalogue"):
        count, seconds = stand_in.index_catalogue(subset)
        print(f"Stand-in engine: {count:,} entries indexed in {seconds:.0f} s")
        # One timed pass, no warm-up: the stand-in is slow, and make bench
        # should stay within minutes.
        timings, totals, failures = measure(rounds, warm_up=False)
    suffix = stand_in.label(count)
    return {kind + suffix: samples for kind, samples in timings.items()}, failures


def main():
    from bench.stand_in import CATALOGUE_SUBSET

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE", "mc_bench")
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--engine",
        choices=["database", "stand-in", "both"],
        default="both",
        help="the database engine, Elasticsearch on the stand-in engine, or both",
    )
    parser.add_argument(
        "--stand-in-entries",
        type=int,
        default=CATALOGUE_SUBSET,
        help="how many entries the stand-in engine indexes (the first, by id)",
    )
    args = parser.parse_args()

    setup_django(args.database)
    entries, public = ensure_entries(args.count)
    cases_count = len(list(cases()))
    print(
        f"Catalogue benchmark on PostgreSQL database {args.database}: "
        f"{entries:,} entries ({public:,} public), {cases_count} queries (words "
        "with two facets selected, no words, one word) and all facet counts, "
        f"{args.rounds} rounds after a warm-up"
    )
    timings, totals, failures = {}, {}, []
    if args.engine != "stand-in":
        timings, totals, failures = measure(args.rounds)
        cached, _totals, cached_failures = measure(1, cached=True)
        timings["page, cached"] = cached["catalogue page"]
        failures += cached_failures
    if args.engine != "database":
        stand_in_timings, stand_in_failures = measure_stand_in(1, args.stand_in_entries)
        side_by_side(timings, stand_in_timings)
        timings.update(stand_in_timings)
        failures += stand_in_failures
    return report_timings(
        timings, totals, failures, TARGET_P95_MS, prefix="catalogue bench · "
    )


if __name__ == "__main__":
    sys.exit(main())
