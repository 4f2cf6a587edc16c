"""The site-search benchmark: /search/ at bench scale on PostgreSQL.

    .venv/bin/python bench/search.py [--database mc_bench_search] [--rounds 5]

Uses a PostgreSQL database (created and migrated when missing;
`mc_bench_search` by default, or BENCH_SEARCH_DATABASE) and tops it up to bench
scale: 100,000 catalogue entries (`manage.py seed_bench --credentials`),
10,000 discussion threads (a tenth in a working group's private space) and
500 pages. Then it times, in
the server process, a fixed list of queries against the site-wide search:

- the grouped results page (/search/?q=…), as an anonymous visitor;
- the same page filtered to one kind (/search/?q=…&kind=…);
- the grouped page for a signed-in working-group member;
- suggestions as you type (/search/suggest?q=…);

first with the result caches off (every request searches, as the first visitor
to ask for those words), then with them on (", cached": repeated searches).

With `--engine both` (the default) the uncached requests run again with
Elasticsearch on the stand-in engine (bench/stand_in.py: osmem-server; the
site index whole, the first 5,000 catalogue entries), and a table shows both
engines' p50/p95 side by side.

It prints p50, p95 and max per kind against the target p95 < 150 ms, and exits
non-zero only when a request fails.
"""

import argparse
import datetime
import os
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    report_timings,
    sentence,
    setup_django,
    side_by_side,
    timed_get,
)

TARGET_P95_MS = 150
CREDENTIALS = 100_000
THREADS = 10_000
PAGES = 500
QUERIES = [
    "framework",
    "assessment",
    "micro-certification principles",
    "employer endorsement",
    "digital badge",
    "portfolio evidence",
    "data analytics",
    "cyber security",
    "project management",
    "validation standards",
    "learner pathway",
    "webinar transcript",
    "forum",
    "stackable credential",
    "industry partner",
    "asessment",
    "curriculum outcome",
    "health care",
    "labour market",
    "competency recognition",
]
KIND_CYCLE = ["pages", "documents", "discussions", "catalogue"]
PREFIXES = ["fr", "fram", "asse", "digi", "port", "cyb", "wor", "emp", "cur", "lab"]
BENCH_SPACE = "search-bench"
BENCH_PRIVATE_SPACE = "search-bench-private"
BENCH_PAGES = "search-bench-pages"


def setup(database):
    setup_django(database)
    from django.core.management import call_command

    from cms.models import HomePage

    if not HomePage.objects.exists():
        call_command("seed_demo", verbosity=0)


def ensure_credentials(count):
    from django.core.management import call_command

    from credentials.models import MicroCredential

    have = MicroCredential.objects.count()
    if have < count:
        print(f"Seeding catalogue entries up to {count:,} (had {have:,})…", flush=True)
        call_command("seed_bench", "--credentials", str(count))


def ensure_pages(count):
    from cms.models import HomePage, StandardPage

    home = HomePage.default()
    parent = home.get_children().filter(slug=BENCH_PAGES).first()
    if parent is None:
        parent = StandardPage(title="Search benchmark pages", slug=BENCH_PAGES)
        home.add_child(instance=parent)
    parent = parent.specific
    have = parent.get_children().count()
    rng = random.Random(7 + have)
    if have < count:
        print(f"Adding {count - have} pages…", flush=True)
    for number in range(have, count):
        body = [
            ("heading", {"text": sentence(rng, 3), "level": "h2", "anchor": ""}),
            ("paragraph", f"<p>{sentence(rng, 80)}</p>"),
            ("heading", {"text": sentence(rng, 3), "level": "h2", "anchor": ""}),
            ("paragraph", f"<p>{sentence(rng, 80)}</p>"),
        ]
        parent.add_child(
            instance=StandardPage(
                title=f"Search bench page {number:04d}: {sentence(rng, 3)}",
                slug=f"page-{number:04d}",
                summary=sentence(rng),
                body=body,
            )
        )


def ensure_threads(count):
    """`count` threads of three posts, a tenth in a working group's space."""
    from django.db import transaction
    from django.utils import timezone

    from community.models import Post, Space, Thread, WorkingGroup

    group, _ = WorkingGroup.objects.get_or_create(
        slug="search-bench-group", defaults={"name": "Search bench group"}
    )
    public, _ = Space.objects.get_or_create(
        slug=BENCH_SPACE, defaults={"name": "Search bench", "visibility": "public"}
    )
    private, _ = Space.objects.get_or_create(
        slug=BENCH_PRIVATE_SPACE,
        defaults={
            "name": "Search bench (private)",
            "visibility": "group",
            "working_group": group,
        },
    )
    have = Thread.objects.filter(space__in=[public, private]).count()
    if have >= count:
        return False
    print(f"Adding {count - have:,} threads…", flush=True)
    rng = random.Random(11 + have)
    now = timezone.now()
    for start in range(have, count, 1000):
        with transaction.atomic():
            threads = Thread.objects.bulk_create(
                [
                    Thread(
                        space=private if number % 10 == 0 else public,
                        title=sentence(rng, 6),
                        created_at=now - datetime.timedelta(minutes=number),
                        last_activity_at=now - datetime.timedelta(minutes=number),
                        reply_count=2,
                    )
                    for number in range(start, min(count, start + 1000))
                ]
            )
            Post.objects.bulk_create(
                [
                    Post(thread=thread, body=text, body_html=f"<p>{text}</p>")
                    for thread in threads
                    for text in (sentence(rng, 40) for _ in range(3))
                ],
                batch_size=5000,
            )
    return True


def build(args):
    from django.core.management import call_command
    from django.db import connection

    ensure_credentials(args.credentials)
    ensure_pages(args.pages)
    if ensure_threads(args.threads) or args.rebuild:
        # Bulk-created rows are not in Wagtail's index yet: rebuild it.
        print("Rebuilding the site search index…", flush=True)
        call_command("rebuild_search", "--only", "site")
        print(flush=True)
    with connection.cursor() as cursor:
        # As autovacuum leaves a table at rest: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE")


def member():
    from django.contrib.auth import get_user_model

    from community.models import Membership, WorkingGroup
    from tests.conftest import make_user

    user = get_user_model().objects.filter(email="search-bench@example.org").first()
    if user is None:
        user = make_user("search-bench@example.org")
    Membership.objects.get_or_create(
        working_group=WorkingGroup.objects.get(slug="search-bench-group"),
        user=user,
        defaults={"status": "active"},
    )
    return user


def measure(rounds, *, cached, warm_up=True):
    """Timings per kind. Without `cached`, the result caches are off
    (SEARCH_CACHE_TIMEOUT=0), so every request searches, as the first visitor
    to ask for those words does; with it, they answer repeated searches."""
    from django.test import override_settings

    with override_settings(**({} if cached else {"SEARCH_CACHE_TIMEOUT": 0})):
        return _measure(rounds, suffix=", cached" if cached else "", warm_up=warm_up)


def _measure(rounds, suffix, warm_up=True):
    from django.test import Client

    from search.site import get_site_engine

    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(member())
    names = ("grouped", "one kind", "member, grouped", "suggest")
    timings = {name + suffix: [] for name in names}
    totals = {}
    failures = []
    # Round 0 warms up (untimed) unless `warm_up` is off.
    for round_number in range(0 if warm_up else 1, rounds + 1):
        for number, text in enumerate(QUERIES):
            kind = KIND_CYCLE[number % len(KIND_CYCLE)]
            prefix = PREFIXES[number % len(PREFIXES)]
            requests = [
                ("grouped", anonymous, "/search/?" + urlencode({"q": text})),
                (
                    "one kind",
                    anonymous,
                    "/search/?" + urlencode({"q": text, "kind": kind, "page": 2}),
                ),
                ("member, grouped", signed_in, "/search/?" + urlencode({"q": text})),
                ("suggest", anonymous, "/search/suggest?" + urlencode({"q": prefix})),
            ]
            for name, client, url in requests:
                _response, elapsed = timed_get(client, url, failures)
                if round_number:
                    timings[name + suffix].append(elapsed)
            if round_number <= 1 and text not in totals:
                totals[text] = get_site_engine().search(text).all_total
    return timings, totals, failures


def measure_stand_in(rounds, subset):
    """The same requests, uncached, with Elasticsearch on the stand-in engine."""
    from bench import stand_in

    with stand_in.stand_in_engine(prefix="bench-search"):
        count, seconds = stand_in.index_catalogue(subset)
        counts, site_seconds = stand_in.index_site()
        print(
            f"Stand-in engine: {count:,} catalogue entries indexed in "
            f"{seconds:.0f} s, {counts} in {site_seconds:.0f} s",
            flush=True,
        )
        # One timed pass, no warm-up: the stand-in is slow, and make bench
        # should stay within minutes.
        timings, _totals, failures = measure(rounds, cached=False, warm_up=False)
    suffix = stand_in.label(count)
    return {kind + suffix: samples for kind, samples in timings.items()}, failures


def main():
    from bench.stand_in import CATALOGUE_SUBSET

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_SEARCH_DATABASE", "mc_bench_search")
    )
    parser.add_argument("--credentials", type=int, default=CREDENTIALS)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--pages", type=int, default=PAGES)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the site index first"
    )
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
        help="catalogue entries the stand-in engine indexes (the first, by id)",
    )
    args = parser.parse_args()

    setup(args.database)
    build(args)
    print(
        f"Site search benchmark on PostgreSQL database {args.database}: "
        f"{args.credentials:,} catalogue entries, {args.threads:,} threads, "
        f"{args.pages} pages; {len(QUERIES)} queries, {args.rounds} rounds after "
        "a warm-up"
    )
    timings, totals, failures = {}, {}, []
    if args.engine != "stand-in":
        timings, totals, failures = measure(args.rounds, cached=False)
        cached, _totals, cached_failures = measure(args.rounds, cached=True)
        timings.update(cached)
        failures += cached_failures
    if args.engine != "database":
        stand_in_timings, stand_in_failures = measure_stand_in(1, args.stand_in_entries)
        side_by_side(timings, stand_in_timings)
        timings.update(stand_in_timings)
        failures += stand_in_failures
    return report_timings(
        timings, totals, failures, TARGET_P95_MS, prefix="site search bench · "
    )


if __name__ == "__main__":
    sys.exit(main())
