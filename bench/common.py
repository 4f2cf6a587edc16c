"""Pieces every benchmark script shares: its database, Django, ports and text."""

import gc
import json
import os
import socket
import statistics
import time

WORDS = [
    "assessment",
    "skills",
    "framework",
    "employer",
    "credential",
    "learner",
    "pathway",
    "digital",
    "evidence",
    "badge",
    "competency",
    "industry",
    "college",
    "university",
    "stackable",
    "validation",
    "workforce",
    "recognition",
    "outcome",
    "partner",
    "endorsement",
    "curriculum",
    "portfolio",
]


def sentence(rng, words=12):
    """Generated text built from the programme's vocabulary."""
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def ensure_database(name, *, fresh=False):
    """Create the PostgreSQL database if it is missing (dropped first if fresh).

    Returns True when it was created.
    """
    import psycopg2

    connection = psycopg2.connect(
        host="127.0.0.1", port=5432, user="postgres", dbname="postgres"
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            if fresh:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
                return True
        return False
    finally:
        connection.close()


def setup_django(database):
    """Point Django at the benchmark database, set it up and migrate it.

    Times are taken in this process, with nothing in front of it.
    """
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ["DEBUG"] = "false"
    ensure_database(database)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # As gunicorn.conf.py does before forking workers: the objects loaded so
    # far are left out of garbage collection (no 100 ms pauses mid-request).
    gc.freeze()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed_get(client, url, failures):
    """GET through the test client; (response, milliseconds). Non-200s are noted."""
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        failures.append(f"{url}: {response.status_code}")
    return response, elapsed


def percentile(samples, fraction):
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


# bench/run.py gathers the lines that start with this into its one table.
ROW_PREFIX = "BENCH-ROW "


def emit_row(name, *, users, rps, latencies_ms, errors, target_p95_ms=None):
    """One row for the harness's table: requests per second, p50/p95/p99, errors
    and the verdict against the p95 target (if any)."""
    p95 = percentile(latencies_ms, 0.95) if latencies_ms else 0.0
    row = {
        "name": name,
        "users": users,
        "rps": rps,
        "p50": percentile(latencies_ms, 0.5) if latencies_ms else 0.0,
        "p95": p95,
        "p99": percentile(latencies_ms, 0.99) if latencies_ms else 0.0,
        "errors": errors,
        "target": f"p95<{target_p95_ms}" if target_p95_ms else "",
        "met": target_p95_ms is None or (bool(latencies_ms) and p95 < target_p95_ms),
    }
    print(ROW_PREFIX + json.dumps(row), flush=True)


def side_by_side(database, stand_in):
    """p50/p95 per kind of both engines in one table; `stand_in`'s kinds carry
    a label suffix (bench.stand_in.label) after the kind's name."""
    print(f"{'':24} {'database p50/p95':>18} {'stand-in p50/p95':>18}")
    for kind, samples in stand_in.items():
        base = kind.split(" (", 1)[0]
        ours = database.get(base)
        left = (
            f"{statistics.median(ours):.0f} / {percentile(ours, 0.95):.0f}"
            if ours
            else "-"
        )
        right = f"{statistics.median(samples):.0f} / {percentile(samples, 0.95):.0f}"
        print(f"{base:24} {left:>18} {right:>18}")
    if stand_in:
        print("stand-in: " + next(iter(stand_in)).split(" (", 1)[1].rstrip(")"))


def report_timings(timings, totals, failures, target_p95_ms, prefix=""):
    """Print p50/p95/max per kind against the target; 1 if a request failed.

    Each kind is also a row of the harness's table, named `prefix` + kind;
    requests are timed one after the other (one user)."""
    width = max([24, *(len(kind) for kind in timings)])
    print(
        f"{'':{width}} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  "
        f"target p95 < {target_p95_ms} ms"
    )
    for kind, samples in timings.items():
        p95 = percentile(samples, 0.95)
        verdict = "met" if p95 < target_p95_ms else "MISSED"
        print(
            f"{kind:{width}} {statistics.median(samples):8.1f} {p95:8.1f} "
            f"{max(samples):8.1f}  {verdict}"
        )
    print("results per query: " + ", ".join(f"{q!r} {n}" for q, n in totals.items()))
    for kind, samples in timings.items():
        emit_row(
            prefix + kind,
            users=1,
            rps=1000 / statistics.mean(samples) if samples else 0,
            latencies_ms=samples,
            errors=len(failures),
            target_p95_ms=target_p95_ms,
        )
    if failures:
        print("FAILED requests:\n  " + "\n  ".join(failures))
        return 1
    return 0
