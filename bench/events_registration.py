"""Registration load test: 500 members register at once for 100 seats, over HTTP.

    .venv/bin/python bench/events_registration.py [--people 500] [--seats 100]

It builds (or reuses) the PostgreSQL database mc_bench_events, migrates it, makes
one event with SEATS seats and PEOPLE verified members each signed in (a session
and a CSRF token of their own), serves the site with gunicorn and the production
settings, then fires every registration at the same instant from PEOPLE threads,
one HTTP connection each. It prints confirmed, waitlisted, errors, throughput and
p95 latency, and exits with status 3 unless exactly SEATS are confirmed, the
rest waitlisted, and no request failed.
"""

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import timedelta
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import emit_row, ensure_database, free_port  # noqa: E402

DATABASE = os.environ.get("EVENTS_BENCH_DATABASE", "mc_bench_events")
EVENT_SLUG = "bench-registration"
EMAIL_DOMAIN = "bench-registration.example.org"
FAILED = 3


def say(text=""):
    print(text, flush=True)


def environment(port):
    return {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "SECRET_KEY": os.environ.get("EVENTS_BENCH_SECRET_KEY")
        or secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_COMPRESS": "false",
        "CONN_MAX_AGE": "60",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": str(ROOT / ".bench-media"),
        "GUNICORN_ACCESS_LOG": "",  # read by gunicorn.conf.py, if present
    }


def prepare(people, seats):
    """Migrate, make the event and the signed-in members; return the sessions."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from cms import seed as cms_seed
    from events.models import EventIndexPage, EventPage, Registration

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    with open(os.devnull, "w") as devnull:
        cms_seed.seed(devnull)
    from cms.models import HomePage

    home = HomePage.default()
    index = home.get_children().filter(slug="events").first()
    if index is None:
        index = EventIndexPage(title="Events", slug="events")
        home.add_child(instance=index)
        index.save_revision().publish()
    index = index.specific
    now = timezone.now()
    event = EventPage.objects.filter(slug=EVENT_SLUG).first()
    if event is None:
        event = EventPage(
            title="Registration benchmark forum",
            slug=EVENT_SLUG,
            start=now + timedelta(days=30),
            end=now + timedelta(days=30, hours=8),
            venue="Benchmark hall",
            capacity=seats,
        )
        index.add_child(instance=event)
    event.capacity = seats
    event.registration_opens = now - timedelta(days=1)
    event.registration_closes = now + timedelta(days=20)
    event.save_revision().publish()
    Registration.objects.filter(event=event).delete()

    User = get_user_model()
    emails = [f"member{n:04d}@{EMAIL_DOMAIN}" for n in range(people)]
    existing = set(
        User.objects.filter(email__in=emails).values_list("email", flat=True)
    )
    with transaction.atomic():
        User.objects.bulk_create(
            [
                User(username=email.split("@")[0] + "-regbench", email=email)
                for email in emails
                if email not in existing
            ]
        )
        users = list(User.objects.filter(email__in=emails).order_by("email"))
        have = set(
            EmailAddress.objects.filter(user__in=users).values_list(
                "user_id", flat=True
            )
        )
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=u, email=u.email, verified=True, primary=True)
                for u in users
                if u.pk not in have
            ]
        )
    sessions = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        # As a sign-in through the first backend would record it.
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    return event.pk, event.url, sessions


def start_server(env, port, workers):
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "cms.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--timeout",
            "60",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not listen within 60 seconds")


def stop_server(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def fire(port, path, sessions):
    """Every member posts the registration form at the same instant."""
    barrier = threading.Barrier(len(sessions))
    results = [None] * len(sessions)

    def one(index, session_key):
        csrf = secrets.token_hex(16)  # a 32-character secret, as Django makes
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "name": f"Member {index}",
                "organisation": "Benchmark College",
                "sector": "higher_education",
                "privacy": "on",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
        }
        connection = HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            connection.connect()
            barrier.wait()
            started = time.perf_counter()
            connection.request("POST", path + "register/", body, headers)
            response = connection.getresponse()
            response.read()
            results[index] = (response.status, time.perf_counter() - started)
        except Exception as exc:  # noqa: BLE001 - counted as an error
            results[index] = (repr(exc), 0.0)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=one, args=(n, key)) for n, key in enumerate(sessions)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--workers", type=int, default=os.cpu_count() * 2 + 1)
    args = parser.parse_args()

    port = free_port()
    env = environment(port)
    os.environ.update(env)
    if ensure_database(DATABASE):
        say(f"Created database {DATABASE}.")
    say(f"Preparing {DATABASE}: {args.people} members, {args.seats} seats …")
    event_id, path, sessions = prepare(args.people, args.seats)

    server = start_server(env, port, args.workers)
    try:
        warm = HTTPConnection("127.0.0.1", port, timeout=30)
        warm.request("GET", path)
        status = warm.getresponse().status
        warm.close()
        if status != 200:
            raise SystemExit(f"the event page answered {status}")
        say(
            f"Firing {len(sessions)} registrations at once at {path} "
            f"(gunicorn, {args.workers} workers × 4 threads) …"
        )
        results, elapsed = fire(port, path, sessions)
    finally:
        stop_server(server)

    from events.models import Registration

    confirmed = Registration.objects.filter(
        event_id=event_id, status="confirmed"
    ).count()
    waitlisted = Registration.objects.filter(
        event_id=event_id, status="waitlisted"
    ).count()
    # Success is the redirect to the registration's own page.
    errors = [status for status, _latency in results if status != 302]
    latencies = sorted(latency for status, latency in results if status == 302)
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0.0
    say(f"confirmed   {confirmed:>6}   (expected {args.seats})")
    say(f"waitlisted  {waitlisted:>6}   (expected {args.people - args.seats})")
    say(f"errors      {len(errors):>6}   {sorted(set(map(str, errors)))[:5]}")
    say(f"throughput  {len(results) / elapsed:>9.1f} registrations/s")
    say(f"p95         {p95:>9.1f} ms")
    ok = (
        confirmed == args.seats
        and waitlisted == args.people - args.seats
        and not errors
    )
    say("PASS" if ok else "FAIL")
    emit_row(
        f"registration rush · {len(sessions)} at once",
        users=len(sessions),
        rps=len(results) / elapsed,
        latencies_ms=[latency * 1000 for latency in latencies],
        errors=len(errors) + (0 if ok else 1),
    )
    return 0 if ok else FAILED


if __name__ == "__main__":
    sys.exit(main())
