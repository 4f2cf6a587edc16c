"""`make bench-quick` in a reduced form: the harness runs and reports everything.

It judges no speed: it checks that the harness seeds, serves the site with
gunicorn under production settings, counts queries per page type, and prints a
row with figures for every scenario (or says why a page type is not measured).
It runs on a copy of the test database, which pytest has already migrated, so
that it neither migrates from scratch nor touches the tests' own data. The copy
is named after that database, so that parallel runs (pytest-xdist workers,
other checkouts on the same server) each have their own.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from deploy import edge

ROOT = Path(__file__).resolve().parent.parent.parent
PAGE_TYPES = [
    "home",
    "standard page",
    "framework page",
    "event page",
    "catalogue query+facets",
    "catalogue entry",
    "thread (50 posts)",
    "search",
    "API list",
    "home (fr)",
    "standard page (fr)",
]
ROW = r"\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+(\d+)%\s+[\d.]+"


def _maintenance(sql):
    import psycopg2

    db = settings.DATABASES["default"]
    connection = psycopg2.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


@pytest.fixture
def bench_database(transactional_db):
    """A copy of the migrated test database, dropped afterwards.

    The test is transactional (no transaction held open) so that the test
    database can serve as a template once our connection to it is closed.
    """
    template = connections["default"].settings_dict["NAME"]
    copy = f"{template}_bench"
    connections.close_all()  # a template must have no open connections
    _maintenance(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    _maintenance(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"')
    yield copy
    _maintenance(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.skipif(
    shutil.which("wrk") is None,
    reason="the load test needs wrk: apt-get install wrk (.ci/run installs it)",
)
@pytest.mark.skipif(
    edge.varnishd_path() is None,
    reason="the benchmark serves through Varnish: apt-get install varnish "
    "varnish-modules (.ci/run installs them)",
)
def test_quick_benchmark_reports_every_scenario(bench_database):
    process = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--database", bench_database],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = process.stdout
    # 0: all within budget; 3: the harness found a page over budget or errors
    # and said so. Anything else is the harness itself failing.
    assert process.returncode in (0, 3), output[-3000:] + process.stderr[-3000:]
    if process.returncode == 3:
        assert "FAILED:" in output

    assert "SQL queries per page type, warm / cold (budget 15" in output
    assert re.search(r"static \(baseline\)" + ROW, output), output
    measured = 0
    for name in PAGE_TYPES:
        escaped = re.escape(name)
        if re.search(rf"note: (no )?{escaped} (at|to measure)", output):
            continue  # its app has not built it yet, and the harness says so
        measured += 1
        counted = re.search(rf"^{escaped}\s+\d+/\d+", output, re.M)
        assert counted, f"no query count (warm/cold): {name}"
        for kind in ("cached", "cached flat out", "uncached", "signed in"):
            assert re.search(rf"{escaped} · {kind}" + ROW, output), f"{name} {kind}"
    assert measured >= 3
    # The home page is cached for anonymous visitors: the figures show it.
    home_cached = re.search(r"home · cached" + ROW, output)
    assert int(home_cached.group(1)) >= 90
    # The purge storm: registrations while readers go through Varnish.
    assert re.search(r"event page · purge storm" + ROW, output), output
    # Asked for and made, side by side.
    assert re.search(
        r"Purge storm: asked for \d+ registrations a second \(\d+ in [\d.]+ s\), "
        r"made \d+ ",
        output,
    ), output
    assert re.search(r"stalest seat count seen: -?\d+ registration", output), output
    # The soak: mixed traffic with searches for new words, and its slow tail.
    assert re.search(
        r"Soak: \d+ connections for \d+ s of mixed anonymous traffic .*"
        r"\([\d,]+ asked\)\n[\d,]+ requests, \d+/s; p50 \d+ ms, p95 \d+, p99 \d+, "
        r"slowest \d+ ms; over one second: (at least )?\d+ ",
        output,
    ), output
