"""`make bench-quick` in a reduced form: the harness runs and reports everything.

It judges no speed: it checks that the harness seeds, serves the site with
gunicorn under production settings, counts queries per page type, and prints a
row with figures for every scenario (or says why a page type is not measured).
It runs on the test database, which pytest has already migrated.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

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
]
ROW = r"\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+%\s+[\d.]+"


@pytest.mark.postgres
def _restore_wagtail_roots():
    """What Wagtail's migrations made and a transactional test's flush removed."""
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code="en")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", live=True))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


# The harness's processes must see committed rows: a transactional test.
@pytest.mark.django_db(transaction=True)
def test_quick_benchmark_reports_every_scenario():
    _restore_wagtail_roots()
    process = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--quick",
            "--database",
            connection.settings_dict["NAME"],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    output = process.stdout
    # 0: all within budget; 3: the harness found a page over budget or errors
    # and said so. Anything else is the harness itself failing.
    assert process.returncode in (0, 3), output[-3000:] + process.stderr[-3000:]
    if process.returncode == 3:
        assert "FAILED:" in output

    assert "SQL queries per page type (budget 15" in output
    assert re.search(r"static \(baseline\)" + ROW, output), output
    measured = 0
    for name in PAGE_TYPES:
        escaped = re.escape(name)
        if re.search(rf"note: (no )?{escaped}\b", output):
            continue  # its app has not built it yet, and the harness says so
        measured += 1
        assert re.search(rf"^{escaped}\s+\d+", output, re.M), f"no query count: {name}"
        for kind in ("cached", "uncached", "signed in"):
            assert re.search(rf"{escaped} · {kind}" + ROW, output), f"{name} {kind}"
    assert measured >= 3
    # The home page is cached for anonymous visitors: the figures show it.
    home_cached = re.search(r"home · cached" + ROW.replace(r"\d+%", r"(\d+)%"), output)
    assert int(home_cached.group(1)) >= 90
