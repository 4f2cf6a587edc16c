"""CPU time and SQL queries per page type, uncached, in one process.

    .venv/bin/python bench/profile_pages.py [--database mc_bench] [--rounds 30]
        [--profile "home"] [--signed-in]

The load test (bench/run.py) measures what a visitor sees; on a shared machine
its times move with everyone else's work. This one measures what a request
costs: Python's CPU time (`time.process_time`) and the SQL queries of each page
type's uncached request, through Django's test Client with the production
settings that `make bench` serves with (DEBUG off, cached template loaders,
the same cache backend), on the benchmark's database as it is (it seeds
nothing; run `make bench` once first). PostgreSQL's share of the cost runs in
its own process: the query count stands for it.

Each page type is asked for warm (after a few requests, as a busy worker
answers it) and cold (every cache cleared first, as after a deploy). With
--profile NAME, cProfile prints where that page type's warm time goes.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402
from bench.common import free_port  # noqa: E402


def _setup(database):
    env = run.bench_environment(database, free_port())
    env["VARNISH_URL"] = ""  # nothing is purged: this process only reads
    os.environ.update(env)
    import django

    django.setup()


def _page_types():
    from bench import seed

    devnull = open(os.devnull, "w")  # noqa: SIM115
    seeded = {
        "standard page": f"/{seed.BENCH_PAGES_SLUG}/page-0000/",
        "thread (50 posts)": seed.seed_threads(0, 0, devnull),
        "event page": seed.seed_events(0, 0, devnull),
    }
    return [
        (name, url)
        for name, url in run.discover_page_types(seeded)
        if url and not name.startswith("static")
    ]


def _backend_cpu_seconds(connection):
    """(pid, CPU seconds so far) of the PostgreSQL backend serving `connection`,
    read from /proc: the server is on this machine in the benchmark."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return pid, None
    # utime and stime, the 14th and 15th fields (11th and 12th after the name)
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(client, url, rounds):
    """(Python CPU ms median, PostgreSQL CPU ms mean, warm queries, cold
    queries, status)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        client.get(url)
    times = []
    pid, database_started = _backend_cpu_seconds(connection)
    for _ in range(rounds):
        started = time.process_time()
        client.get(url)
        times.append((time.process_time() - started) * 1000)
    same_pid, database_done = _backend_cpu_seconds(connection)
    database_ms = (
        (database_done - database_started) * 1000 / rounds
        if same_pid == pid and database_started is not None
        else float("nan")
    )
    with CaptureQueriesContext(connection) as warm:
        response = client.get(url)
    run.clear_caches()
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    return (
        statistics.median(times),
        database_ms,
        len(warm),
        len(cold),
        response.status_code,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="mc_bench")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--profile", help="a page type's name: print its profile")
    parser.add_argument("--signed-in", action="store_true", help="profile signed in")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--lines", type=int, default=45)
    args = parser.parse_args(argv)
    _setup(args.database)

    from django.test import Client

    from bench.seed import bench_member

    anonymous, member = Client(), Client()
    member.force_login(bench_member())
    page_types = _page_types()

    if args.profile:
        client = member if args.signed_in else anonymous
        url = dict(page_types)[args.profile]
        for _ in range(3):
            client.get(url)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.rounds):
            client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
        return 0

    header = f"{'Py ms':>7}{'PG ms':>7}{'warm q':>7}{'cold q':>7}"
    print(f"{'':<26}{'anonymous':^28}{'signed in':^28}")
    print(f"{'page type':<26}{header}{header}")
    for name, url in page_types:
        row = [measure(client, url, args.rounds) for client in (anonymous, member)]
        cells = "".join(
            f"{ms:>7.1f}{pg:>7.1f}{warm:>7}{cold:>7}"
            + ("" if status == 200 else f" ({status})")
            for ms, pg, warm, cold, status in row
        )
        print(f"{name:<26}{cells}  {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
