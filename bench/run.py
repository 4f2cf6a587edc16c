"""The benchmark harness: `make bench` (full) and `make bench-quick`.

1. Builds the bench data in a dedicated PostgreSQL database (mc_bench by
   default): migrations, the demo content, the catalogue's `seed_bench` when
   the credentials app provides it, and bench/seed.py (pages, threads, events).
2. Counts the SQL queries of each page type through Django's test Client
   (anonymous and signed in) and fails when one is over QUERY_BUDGET.
3. Serves the site as `make serve` does: gunicorn (stock gthread workers,
   production settings, DEBUG off, WhiteNoise) on loopback behind Varnish with
   deploy/varnish/default.vcl, and runs wrk (bench/load.py) from separate
   processes against every page type: anonymous through Varnish (at the
   target's rate, and flat out), anonymous straight at gunicorn (uncached),
   signed in (Varnish passes those), plus a static file through the same
   Varnish as the baseline of what the machine can do.
4. A purge storm: registrations for the forum page at a steady rate from
   several sender threads (each one purges the page) while 50 connections
   read it through Varnish; reports the registrations asked for and made, the
   hit ratio, p95 and the stalest seat count a reader saw.
5. The soak (bench/soak.py): 50 connections of mixed anonymous traffic through
   Varnish for 5 minutes (`--soak-seconds`; 10 s in quick mode), a fifth of
   the requests searching for words never asked before; reports p99, the
   slowest request and how many took over one second.
6. Runs the other apps' benchmarks (bench/catalogue.py, bench/search.py,
   bench/events_registration.py) in full mode; each prints its details and
   `BENCH-ROW` lines (bench.common.emit_row) that join the table.

It prints one table and exits with status 3 when a page type is over its query
budget, a page type does not answer 200, or a scenario had errors. The latest
figures and how to reproduce them: bench/RESULTS.md.
"""

import argparse
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, soak  # noqa: E402
from bench.common import ROW_PREFIX, ensure_database, free_port, percentile  # noqa: E402
from deploy import edge  # noqa: E402

QUERY_BUDGET = 15
FAILED = 3  # the exit status when a measurement fails (1 means the harness broke)
# Cached pages are judged at the rate the target names: 50 connections that
# each wait a little before their next request (pace_ms, from "cached_rate")
# so that together they ask for about 1,200 a second. Flat out, with no pause,
# 50 connections measure capacity instead: through Varnish a cached page should
# cost about what a static file through the same Varnish costs (within 1.2x)
# and serve at least ten times what the old in-process page cache did.
TARGETS = {
    "cached": {"rps": 1000, "p95": 20},
    "cached flat out": {"static_ratio": 1 / 1.2, "old_factor": 10},
    "uncached": {"p95": 100},
    "signed in": {"p95": 100},
    "static": {},
}
# The in-process page cache (deleted in issue 18) flat out on this machine,
# idle: home page, 50 connections, wrk (issue 18; 2,311 to 3,276 on 2 Dec).
# Measured again on 7 Dec with the machine busy: 771 (bench/RESULTS.md).
OLD_PAGE_CACHE_RPS = 2350
SIZES = {
    "full": {
        "credentials": 100_000,
        "threads": 10_000,
        "posts": 100_000,
        "pages": 500,
        "events": 50,
        "registrations": 20_000,
        "seconds": 5,
        "warm_up": 1,
        "users": {"cached": 50, "uncached": 10, "signed in": 10, "static": 50},
        "cached_rate": 1200,
        "workers": None,
        "warm_up_rounds": 6,
        "storm": {"seconds": 10, "rate": 100, "users": 50},
        "soak": {"seconds": 300, "users": 50},
    },
    "quick": {
        "credentials": 300,
        "threads": 60,
        "posts": 600,
        "pages": 20,
        "events": 3,
        "registrations": 300,
        "seconds": 1,
        "warm_up": 0,
        "users": {"cached": 8, "uncached": 4, "signed in": 4, "static": 8},
        "cached_rate": 100,
        "workers": 2,
        "warm_up_rounds": 3,
        "storm": {"seconds": 2, "rate": 20, "users": 8},
        "soak": {"seconds": 10, "users": 8},
    },
}
OTHER_BENCHMARKS = [
    "catalogue.py",
    "search.py",
    "events_registration.py",
    "consultation.py",
]
# The environment the harness was started with; the other benchmarks get it
# (not the production settings this process switches to).
STARTING_ENVIRONMENT = dict(os.environ)


def say(text=""):
    print(text, flush=True)


# --- Environment, database, servers ------------------------------------------


def redis_available(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def bench_environment(database, varnish_port):
    env = {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": "http://127.0.0.1:8000",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "CONN_MAX_AGE": "60",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "GUNICORN_ACCESS_LOG": "",
        # Pages and fragments name rows by id: each database its own keys.
        "CACHE_KEY_PREFIX": f"mc-{database}",
        # Purges go to the benchmark's Varnish as soon as a change commits.
        "VARNISH_URL": f"http://127.0.0.1:{varnish_port}",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    if redis_available():
        env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
    return env


def start_server(env, *, workers):
    port = free_port()
    server_env = {**os.environ, **env, "BIND": f"127.0.0.1:{port}"}
    if workers:
        server_env["WEB_CONCURRENCY"] = str(workers)
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "cms.wsgi",
        ],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{process.stderr.read()}")
        try:
            with urllib.request.urlopen(f"{base}/robots.txt", timeout=2):  # noqa: S310
                return process, base
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def start_varnish(backend_base, port):
    """Varnish with the repository's VCL in front of that gunicorn."""
    workdir = tempfile.mkdtemp(prefix="bench-varnish-")
    process = edge.start_varnish(
        listen=f"127.0.0.1:{port}",
        backend_port=int(backend_base.rsplit(":", 1)[1]),
        workdir=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


def stop_server(process):
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


# --- Data -------------------------------------------------------------------


def ensure_wagtail_roots():
    """What Wagtail's migrations make; a flushed (test) database has lost them."""
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code="en")
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root", live=True))


def _catalogue_bench_rows():
    """How many catalogue entries an earlier seed_bench made (None: unknown)."""
    try:
        from django.apps import apps

        from credentials import bench as catalogue_bench

        model = apps.get_model("credentials", "MicroCredential")
        prefix = catalogue_bench.BENCH_PREFIX
        return model.objects.filter(external_id__startswith=prefix).count()
    except (ImportError, LookupError, AttributeError):
        return None


def build_data(sizes, stdout):
    from django.core.management import call_command, get_commands

    from bench import seed

    started = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    say(f"[{time.monotonic() - started:.0f} s] migrated, static files collected")
    ensure_wagtail_roots()
    call_command("seed_demo", stdout=stdout)
    say(f"[{time.monotonic() - started:.0f} s] demo content")
    if _catalogue_bench_rows() == sizes["credentials"]:
        say(f"Catalogue: {sizes['credentials']} bench entries already there.")
    elif "seed_bench" in get_commands():
        try:
            call_command("seed_bench", "--credentials", str(sizes["credentials"]))
        except Exception as exc:  # noqa: BLE001 - another app's seeding: report it
            say(f"note: seed_bench failed ({exc!r}); the catalogue keeps its data")
    else:
        say("note: no seed_bench command yet (credentials app); catalogue not seeded")
    say(f"[{time.monotonic() - started:.0f} s] catalogue")
    urls = {"standard page": seed.seed_pages(sizes["pages"], stdout)}
    urls["thread (50 posts)"] = seed.seed_threads(
        sizes["threads"], sizes["posts"], stdout
    )
    urls["event page"] = seed.seed_events(
        sizes["events"], sizes["registrations"], stdout
    )
    # Bulk inserts send no signals: make the threads searchable, then leave
    # the tables as autovacuum would (statistics and the visibility map).
    from django.db import connection

    from search.threads import refresh_thread_text

    refresh_thread_text()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    say(f"[{time.monotonic() - started:.0f} s] search text, statistics")
    return urls


# --- Page types ----------------------------------------------------------------


def _first_live_page(app_label):
    from wagtail.models import Page

    page = (
        Page.objects.live()
        .public()
        .filter(content_type__app_label=app_label)
        .exclude(content_type__model__endswith="indexpage")
        .order_by("-depth", "path")
        .first()
    )
    return page.url if page else None


def _french_page(model):
    """The first live public French page of this kind (cms/seed_french.py)."""
    from wagtail.models import Page

    page = (
        Page.objects.live()
        .public()
        .filter(locale__language_code="fr", content_type__model=model)
        .order_by("path")
        .first()
    )
    return page.url if page else None


def _catalogue_url(client):
    """/catalogue/ with a query and two facet values taken from its own form."""
    response = client.get("/catalogue/")
    if response.status_code != 200:
        return None
    html = response.content.decode()
    chosen, names = [], set()
    for tag in re.findall(r"<input[^>]*type=\"checkbox\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]+)"', tag)
        if name and value and name.group(1) not in names:
            names.add(name.group(1))
            chosen.append(f"{name.group(1)}={value.group(1)}")
        if len(chosen) == 2:
            break
    return "/catalogue/?" + "&".join(["q=skills", *chosen])


def _entry_url(client):
    from django.apps import apps

    if apps.is_installed("credentials"):
        for model in apps.get_app_config("credentials").get_models():
            if (
                hasattr(model, "get_absolute_url")
                and "credential" in model.__name__.lower()
            ):
                manager = getattr(model, "objects", None)
                entry = manager.order_by("pk").first() if manager else None
                if entry is not None:
                    try:
                        return entry.get_absolute_url()
                    except Exception:  # noqa: BLE001, S112 - not a public entry
                        continue
    return None


def _api_url(client):
    response = client.get("/api/v1/openapi.json")
    if response.status_code != 200:
        return None
    paths = [
        path
        for path, operations in response.json().get("paths", {}).items()
        if "get" in operations and "{" not in path
    ]
    if not paths:
        return None
    paths.sort(key=lambda p: (0 if "credential" in p else 1, len(p)))
    return paths[0]


def discover_page_types(seeded):
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.test import Client

    client = Client()
    found = [
        ("home", "/"),
        ("standard page", seeded.get("standard page")),
        ("framework page", _first_live_page("frameworks")),
        ("event page", seeded.get("event page") or _first_live_page("events")),
        ("catalogue query+facets", _catalogue_url(client)),
        ("catalogue entry", _entry_url(client)),
        ("thread (50 posts)", seeded.get("thread (50 posts)")),
        ("search", "/search/?q=framework"),
        ("API list", _api_url(client)),
        # The French site (issue 21): the same pages at their /fr/ addresses.
        ("home (fr)", _french_page("homepage")),
        ("standard page (fr)", _french_page("standardpage")),
        ("static (baseline)", staticfiles_storage.url("css/site.css")),
    ]
    page_types = []
    for name, url in found:
        if url and not name.startswith("static") and client.get(url).status_code == 404:
            say(f"note: {name} at {url} is not built yet (404); not measured")
            url = None
        page_types.append((name, url))
    return page_types


def clear_caches():
    """Empty the app's caches (on Redis, only this site's keys: a flush would
    empty other sites' and databases' too)."""
    from django.core.cache import caches

    for cache in caches.all():
        if hasattr(cache, "delete_pattern"):
            cache.delete_pattern("*")
        else:
            cache.clear()


def count_queries(page_types, member):
    """Queries per page type, anonymous and signed in, warm (just asked for)
    and cold (the app's caches emptied first: an N+1 a warm cache hides shows)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    signed_in = Client()
    signed_in.force_login(member)
    rows, failures = [], []
    for name, url in page_types:
        if url is None or name.startswith("static"):
            continue
        counts = []
        for client in (Client(), signed_in):
            client.get(url)  # warm per-process caches (site, content types)
            measured = []
            for cold in (False, True):
                if cold:
                    clear_caches()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                measured.append(len(queries))
            counts.append((response.status_code, *measured))
        rows.append((name, url, counts))
        for (status, warm, cold), who in zip(
            counts, ("anonymous", "signed in"), strict=False
        ):
            if status != 200:
                failures.append(f"{name} ({who}) answered {status}")
            elif max(warm, cold) > QUERY_BUDGET:
                failures.append(f"{name} ({who}): {warm} queries warm, {cold} cold")
    return rows, failures, signed_in.cookies


def print_queries(rows):
    say(f"\nSQL queries per page type, warm / cold (budget {QUERY_BUDGET})")
    say(f"{'page type':<26}{'anonymous':>11}{'signed in':>11}  url")
    for name, url, ((s1, anon, anon_cold), (s2, member, member_cold)) in rows:

        def flag(status, warm, cold):
            over = max(warm, cold) > QUERY_BUDGET or status != 200
            return (
                f"{warm}/{cold}"
                + ("" if status == 200 else f" ({status})")
                + (" !" if over else "")
            )

        say(
            f"{name:<26}{flag(s1, anon, anon_cold):>11}"
            f"{flag(s2, member, member_cold):>11}  {url}"
        )


# --- Load ------------------------------------------------------------------------


def load_scenarios(page_types, edge_base, app_base, session_cookies, sizes):
    """Anonymous visitors through Varnish (cached), the same pages straight
    at gunicorn (uncached), members through Varnish (passed to gunicorn)."""
    users, seconds, warm_up = sizes["users"], sizes["seconds"], sizes["warm_up"]
    pace_ms = int(users["cached"] * 1000 / sizes["cached_rate"])
    # A returning visitor: one CSRF secret for every request, so a page with a
    # form costs its one token fragment (a first visit also fetches a secret).
    returning = {"csrftoken": "b" * 32}
    kinds = (
        ("cached", edge_base, returning, users["cached"], pace_ms),
        ("cached flat out", edge_base, returning, users["cached"], 0),
        ("uncached", app_base, {}, users["uncached"], 0),
        ("signed in", edge_base, session_cookies, users["signed in"], 0),
    )
    scenarios = []
    for name, url in page_types:
        if url is None:
            continue
        if name.startswith("static"):
            kind_list = (("static", edge_base, {}, users["static"], 0),)
        else:
            kind_list = kinds
        for kind, base, cookies, connections, pace in kind_list:
            scenarios.append(
                {
                    "name": name if kind == "static" else f"{name} · {kind}",
                    "kind": kind,
                    "url": base + url,
                    "users": connections,
                    "seconds": seconds,
                    "warm_up": warm_up,
                    "pace_ms": pace,
                    "cookies": cookies,
                }
            )
    return scenarios


def warm_up(scenarios, rounds, budget_seconds=90):
    """Load every worker's templates and connections before anything is timed."""
    from concurrent.futures import ThreadPoolExecutor

    deadline = time.monotonic() + budget_seconds

    def fetch(scenario):
        if time.monotonic() > deadline:
            return
        cookie = "; ".join(f"{k}={v}" for k, v in scenario.get("cookies", {}).items())
        # The headers wrk sends (bench/load.py): the cache keys on them, and a
        # page first asked for by 50 connections at once is made 50 times.
        headers = {"Accept-Encoding": "gzip", "Accept-Language": "en"}
        if cookie:
            headers["Cookie"] = cookie
        request = urllib.request.Request(  # noqa: S310 - our own loopback server
            scenario["url"], headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                response.read()
        except OSError:
            pass  # counted as an error by the timed run if it persists

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(fetch, [s for s in scenarios for _ in range(rounds)]))


def run_load(scenarios):
    results = []
    for scenario in scenarios:
        try:
            results.append(load.run_scenario(scenario))
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            say(f"note: {scenario['name']}: {exc}")
    return results


def print_load(scenarios, results, full, other_rows=()):
    by_name = {r["name"]: r for r in results}
    baseline = next((r["rps"] for r in results if r["name"].startswith("static")), 0)
    say(
        "\nLoad (wrk on loopback; times in ms; 'cache' = share of responses "
        "Varnish served from its cache (X-Cache: HIT);\n'cached' runs at the "
        "target's rate through Varnish, 'flat out' as fast as it answers; "
        "'uncached' straight at gunicorn; 'signed in' through Varnish, passed)"
    )
    header = (
        f"{'scenario':<40}{'users':>6}{'req/s':>9}{'p50':>7}{'p95':>7}{'p99':>7}"
        f"{'errors':>8}{'cache':>7}{'÷static':>9}  target"
    )
    say(header)
    say("-" * len(header))
    errors = []
    for scenario in scenarios:
        result = by_name.get(scenario["name"])
        if result is None:
            say(f"{scenario['name']:<40} not run")
            errors.append(f"{scenario['name']}: not run")
            continue
        total = sum(result["cache"].values()) or 1
        hits = result["cache"].get("hit", 0) / total
        ratio = result["rps"] / baseline if baseline else 0
        target = TARGETS[scenario["kind"]]
        verdict = ""
        if scenario["kind"].startswith("cached") and hits < 0.5:
            # A page that is not shared (one that shows per-visitor data)
            # reaches anonymous visitors uncached, as the next rows do.
            verdict = "not kept by Varnish: the uncached target applies"
        elif "static_ratio" in target:
            old = result["rps"] / OLD_PAGE_CACHE_RPS
            met = ratio >= target["static_ratio"] and old >= target["old_factor"]
            verdict = (
                f"{'met' if met else 'MISSED'} ≥{target['static_ratio']:.2f}×static, "
                f"{old:.1f}× old page cache (≥{target['old_factor']}×)"
            )
        elif "p95" in target:
            met = (
                result["requests"] > 0
                and result["p95"] <= target["p95"]
                and result["rps"] >= target.get("rps", 0)
            )
            goal = f"p95<{target['p95']}" + (
                f", ≥{target['rps']}/s" if "rps" in target else ""
            )
            verdict = ("met " if met else "MISSED ") + goal
        say(
            f"{scenario['name']:<40}{scenario['users']:>6}{result['rps']:>9.0f}"
            f"{result['p50']:>7.0f}{result['p95']:>7.0f}{result['p99']:>7.0f}"
            f"{result['errors']:>8}{hits:>7.0%}{ratio:>9.2f}  {verdict}"
        )
        if result["errors"]:
            errors.append(
                f"{scenario['name']}: {result['errors']} errors {result['error_kinds']}"
            )
    if other_rows:
        say(
            "-- the other benchmarks (bench/catalogue.py and bench/search.py time "
            "one request after another in the Django process; the registration "
            "rush posts over HTTP) --"
        )
    for row in other_rows:
        ratio = row["rps"] / baseline if baseline else 0
        verdict = ("met " if row["met"] else "MISSED ") + row["target"]
        say(
            f"{row['name']:<40}{row['users']:>6}{row['rps']:>9.0f}"
            f"{row['p50']:>7.0f}{row['p95']:>7.0f}{row['p99']:>7.0f}"
            f"{row['errors']:>8}{'':>7}{ratio:>9.2f}  "
            f"{verdict if row['target'] else ''}"
        )
        if row["errors"]:
            errors.append(f"{row['name']}: {row['errors']} errors")
    if not full:
        say("(quick mode: a smoke run with few users; the figures are not targets)")
    return errors


# --- Purge storm ------------------------------------------------------------------

SEATS_LEFT = re.compile(r"(\d[\d,]*) seats? left")
STORM_CAPACITY = 1_000_000
# Registrations sent at once: enough to keep the asked rate when one takes
# several times 1/rate (lock, commit, purge) on a loaded machine.
SENDERS = 8


def storm_event():
    """An open event with more seats than a run can take, with no registrations."""
    from datetime import timedelta

    from django.utils import timezone

    from bench.seed import BENCH_EVENTS_SLUG
    from cms.models import HomePage
    from events.models import EventIndexPage, EventPage, Registration

    home = HomePage.default()
    index = home.get_children().filter(slug=BENCH_EVENTS_SLUG).first()
    if index is None:
        index = EventIndexPage(title="Benchmark events", slug=BENCH_EVENTS_SLUG)
        home.add_child(instance=index)
        index.save_revision().publish()
    index = index.specific
    now = timezone.now()
    fields = {
        "capacity": STORM_CAPACITY,
        "start": now + timedelta(days=90),
        "end": now + timedelta(days=90, hours=7),
        "venue": "Metro Toronto Convention Centre",
        "registration_opens": now - timedelta(days=1),
        "registration_closes": now + timedelta(days=60),
    }
    event = EventPage.objects.child_of(index).filter(slug="purge-storm").first()
    if event is None:
        event = EventPage(title="Purge storm forum", slug="purge-storm", **fields)
        index.add_child(instance=event)
    else:
        Registration.objects.filter(event=event).delete()
        for name, value in fields.items():
            setattr(event, name, value)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


def _seats_shown(url):
    request = urllib.request.Request(  # noqa: S310 - our own loopback Varnish
        url, headers={"Cookie": "csrftoken=" + "b" * 32, "Accept-Language": "en"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        found = SEATS_LEFT.search(response.read().decode())
    return int(found.group(1).replace(",", "")) if found else None


def purge_through(edge_base):
    """From now on this process's changes purge the benchmark's Varnish."""
    from django.conf import settings

    settings.VARNISH_URLS = [edge_base]
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": edge_base,
        }
    }


def purge_storm(edge_base, sizes):
    """`rate` registrations a second for one event (each purges its page, once
    committed) while `users` connections read the page through Varnish, and a
    sampler compares the seats each reader was shown with the seats left when
    it asked.

    One registration (a locked seat count, a commit, then the purge sent to
    Varnish) takes a sender longer than 1/rate on a busy machine, so SENDERS
    threads share one timetable: registration n is due at start + n/rate and
    goes to whichever sender is free. Each has its own database connection;
    they wait on PostgreSQL and Varnish, not on Python, so threads suffice.
    """
    from django.db import connection

    from events import services

    event = storm_event()
    url = edge_base + event.url
    truth = [(time.monotonic(), STORM_CAPACITY)]
    samples = []
    stop = threading.Event()
    errors = []
    run = secrets.token_hex(4)
    lock = threading.Lock()
    counts = {"next": 0, "made": 0, "busy": 0}

    def take_number():
        with lock:
            number = counts["next"]
            counts["next"] += 1
            return number

    def register(began):
        try:
            while not stop.is_set():
                number = take_number()
                due = began + number / sizes["rate"]
                if stop.wait(max(0.0, due - time.monotonic())):
                    break
                try:
                    services.register(
                        event=event,
                        name=f"Storm {number}",
                        email=f"storm-{run}-{number}@example.org",
                        email_verified=True,
                    )
                except services.EventBusy:
                    with lock:
                        counts["busy"] += 1  # the seat lock's timeout: skipped
                    continue
                with lock:
                    counts["made"] += 1
                    truth.append((time.monotonic(), STORM_CAPACITY - counts["made"]))
        except Exception as exc:  # noqa: BLE001 - reported with the row
            errors.append(f"registration failed: {exc!r}")
        finally:
            connection.close()

    def sample():
        while not stop.is_set():
            asked = time.monotonic()
            try:
                samples.append((asked, _seats_shown(url)))
            except OSError as exc:
                errors.append(f"sampler: {exc!r}")
            time.sleep(0.01)

    _seats_shown(url)  # in the cache before the storm
    began = time.monotonic()
    threads = [threading.Thread(target=sample)] + [
        threading.Thread(target=register, args=(began,)) for _ in range(SENDERS)
    ]
    for thread in threads:
        thread.start()
    try:
        result = load.run_scenario(
            {
                "name": "event page · purge storm",
                "url": url,
                "users": sizes["users"],
                "seconds": sizes["seconds"],
                "warm_up": 0,
                "pace_ms": 0,
                "cookies": {"csrftoken": "b" * 32},
            }
        )
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        result = None
        errors.append(f"wrk: {exc}")
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    elapsed = time.monotonic() - began
    # How many registrations behind each sample was: the seats it showed minus
    # the seats left after the last registration committed before it asked.
    behind = []
    for asked, shown in samples:
        if shown is None:
            errors.append("a reader saw no seat count")
            continue
        left = next(seats for moment, seats in reversed(truth) if moment <= asked)
        behind.append(shown - left)
    return {
        "result": result,
        "registrations": counts["made"],
        "asked": round(sizes["rate"] * elapsed),
        "busy": counts["busy"],
        "seconds": elapsed,
        "rate": sizes["rate"],
        "users": sizes["users"],
        "samples": len(behind),
        "stalest": max(behind, default=0),
        "p95_behind": percentile(behind, 0.95) if behind else 0,
        "errors": errors,
    }


def print_storm(storm):
    """The storm's row (the load table's columns) and how stale readers were."""
    result = storm["result"]
    made_rate = storm["registrations"] / storm["seconds"] if storm["seconds"] else 0
    say(
        f"\nPurge storm: asked for {storm['rate']} registrations a second "
        f"({storm['asked']} in {storm['seconds']:.1f} s), made "
        f"{storm['registrations']} ({made_rate:.0f}/s; {storm['busy']} refused "
        f"busy) with {SENDERS} senders, each purging the event page once "
        "committed, while wrk reads it through Varnish"
    )
    failures = [f"purge storm: {error}" for error in storm["errors"][:5]]
    if result is None:
        return failures or ["purge storm: not run"]
    total = sum(result["cache"].values()) or 1
    hits = result["cache"].get("hit", 0) / total
    say(
        f"{result['name']:<40}{storm['users']:>6}{result['rps']:>9.0f}"
        f"{result['p50']:>7.0f}{result['p95']:>7.0f}{result['p99']:>7.0f}"
        f"{result['errors']:>8}{hits:>7.0%}{0:>9.2f}"
    )
    say(
        f"stalest seat count seen: {storm['stalest']} registration(s) behind "
        f"(p95 {storm['p95_behind']}; {storm['samples']} samples of the page)"
    )
    if result["errors"]:
        failures.append(f"purge storm: {result['errors']} errors")
    return failures


# --- The soak ------------------------------------------------------------------


def run_soak(page_types, edge_base, sizes):
    """The soak over every anonymous page type's URL (None if skipped or wrk
    failed; the report says so)."""
    if not sizes["seconds"]:
        return None
    paths = [url for name, url in page_types if url and not name.startswith("static")]
    say(f"\nSoak: {sizes['seconds']:.0f} s at {sizes['users']} connections…")
    try:
        return soak.run(
            edge_base, paths, seconds=sizes["seconds"], users=sizes["users"]
        )
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        say(f"note: soak: {exc}")
        return None


# --- Other apps' benchmarks ----------------------------------------------------


def run_other_benchmarks(full, database, rows):
    """Run them one by one, echo what they print and collect their table rows
    into `rows`; yields a failure message for each that failed."""
    for script in OTHER_BENCHMARKS:
        path = ROOT / "bench" / script
        if not path.exists():
            say(f"\nnote: bench/{script} does not exist yet; skipped")
            continue
        if not full:
            say(f"\nnote: bench/{script} runs in full mode only (make bench)")
            continue
        say(f"\n== bench/{script} ==")
        try:
            process = subprocess.run(
                [sys.executable, str(path)],
                cwd=ROOT,
                env={**STARTING_ENVIRONMENT, "BENCH_DATABASE": database},
                capture_output=True,
                text=True,
                timeout=1200,
                check=False,
            )
        except subprocess.TimeoutExpired:
            yield f"bench/{script} did not finish within 1200 s"
            continue
        for line in process.stdout.rstrip().splitlines():
            if line.startswith(ROW_PREFIX):
                rows.append(json.loads(line[len(ROW_PREFIX) :]))
            else:
                say(line)
        if process.returncode != 0:
            say(process.stderr[-2000:])
            yield f"bench/{script} exited with {process.returncode}"


# --- Main ------------------------------------------------------------------------


def _stop_on_sigterm():
    """Turn SIGTERM (timeout, Ctrl-C of make) into an exit that stops the servers."""
    import signal

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data, short runs")
    parser.add_argument("--database", help="PostgreSQL database name")
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument(
        "--soak-seconds",
        type=float,
        help="how long the soak runs (full mode 300, quick mode 10; 0 skips it)",
    )
    args = parser.parse_args(argv)
    _stop_on_sigterm()
    if not load.available():
        say(load.INSTALL_HINT)
        return 1
    mode = "quick" if args.quick else "full"
    sizes = SIZES[mode]
    if args.soak_seconds is not None:
        sizes = {**sizes, "soak": {**sizes["soak"], "seconds": args.soak_seconds}}
    database = args.database or ("mc_bench_quick" if args.quick else "mc_bench")
    started = time.monotonic()
    if edge.varnishd_path() is None:
        say(edge.INSTALL_HINT)
        return 1

    varnish_port = free_port()
    env = bench_environment(database, varnish_port)
    if args.quick:
        env["STATIC_COMPRESS"] = "false"  # hashing only: collectstatic in seconds
    os.environ.update(env)
    # The servers purge that Varnish; this process only once it is up (the
    # seeding's purges would wait for it), for the purge storm's registrations.
    os.environ["VARNISH_URL"] = ""
    if ensure_database(database, fresh=args.fresh):
        say(f"Created database {database}.")

    import django

    django.setup()
    from django.core.cache import cache

    from bench.seed import bench_member

    say(
        f"Benchmark ({mode}) on database {database}; cache: "
        f"{'Redis' if 'REDIS_URL' in env else 'local memory'}"
    )
    # Nothing an earlier run on a database of this name cached (Locale ids,
    # fragments) may answer while seeding: the rows may have other ids now.
    clear_caches()
    build_data(sizes, sys.stdout)
    say(f"[{time.monotonic() - started:.0f} s] seeded")
    cache.clear()  # nothing cached by an earlier run may answer
    seeded = {}
    from bench import seed as bench_seed

    seeded["standard page"] = f"/{bench_seed.BENCH_PAGES_SLUG}/page-0000/"
    seeded["thread (50 posts)"] = bench_seed.seed_threads(0, 0, open(os.devnull, "w"))  # noqa: SIM115
    seeded["event page"] = bench_seed.seed_events(0, 0, open(os.devnull, "w"))  # noqa: SIM115
    page_types = discover_page_types(seeded)
    for name, url in page_types:
        if url is None:
            say(f"note: no {name} to measure (its app has no such content yet)")
    say(f"[{time.monotonic() - started:.0f} s] data ready")

    rows, failures, cookies = count_queries(page_types, bench_member())
    print_queries(rows)
    session_cookies = {key: morsel.value for key, morsel in cookies.items()}

    app = varnish = None
    try:
        app, app_base = start_server(env, workers=sizes["workers"])
        varnish, edge_base = start_varnish(app_base, varnish_port)
        purge_through(edge_base)
        scenarios = load_scenarios(
            page_types, edge_base, app_base, session_cookies, sizes
        )
        say(f"[{time.monotonic() - started:.0f} s] servers up")
        warm_up(scenarios, sizes["warm_up_rounds"])
        results = run_load(scenarios)
        storm = purge_storm(edge_base, sizes["storm"])
        soaked = run_soak(page_types, edge_base, sizes["soak"])
    finally:
        edge.stop(varnish)
        if app is not None:
            stop_server(app)
    say(f"[{time.monotonic() - started:.0f} s] load run done")
    other_rows = []
    failures += list(run_other_benchmarks(mode == "full", database, other_rows))
    failures += print_load(scenarios, results, mode == "full", other_rows)
    failures += print_storm(storm)
    if sizes["soak"]["seconds"]:
        failures += soak.report(soaked, say)

    say(f"\nFinished in {time.monotonic() - started:.0f} s.")
    if failures:
        say("FAILED:\n  " + "\n  ".join(failures))
        return FAILED
    say("OK: every page type within its query budget, no errors.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
