"""Fixtures shared by every app's tests.

App-specific fixtures live in `tests/<app>/conftest.py`; factories in
`tests/factories.py` (shared) or `tests/<app>/factories.py`.
"""

import os
import shutil
import time
from importlib import import_module
from pathlib import Path

import django.test
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.backends.signals import connection_created
from django.dispatch import receiver

# Playwright's sync API runs an event loop in the test thread; the ORM calls that
# tests make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PASSWORD = "correct-horse-battery-staple"


def _is_postgres():
    return settings.DATABASES["default"]["ENGINE"].endswith(
        ("postgresql", "postgis", "psycopg2")
    )


@receiver(connection_created)
def _commit_without_waiting_for_the_disk(sender, connection, **kwargs):
    """Test databases are thrown away: their commits need not wait for the
    write-ahead log to reach the disk (3 to 8 ms each on a busy machine).

    What a commit makes visible, and when, is unchanged (PostgreSQL's
    `synchronous_commit` only delays durability), so locks, isolation and
    what the live server sees behave as in production. Migrations, flushes
    and every statement of a transactional test commit.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


def pytest_collection_modifyitems(config, items):
    if not _is_postgres():
        skip_pg = pytest.mark.skip(
            reason="needs PostgreSQL: set DATABASE_URL=postgres://… to run it"
        )
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip_pg)
    if not Path(CHROMIUM).exists():
        skip_browser = pytest.mark.skip(
            reason=f"browser test: Chromium is not installed at {CHROMIUM} "
            "(apt-get install chromium)"
        )
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip_browser)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Each test writes uploads into its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)
    shutil.rmtree(tmp_path / "private-media", ignore_errors=True)


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def ensure_wagtail_tree():
    """The rows migrations make that tests rely on.

    Wagtail's default locale, page root and collection root, then the working
    group, collections and review workflow of the frameworks data migration
    (its `create` is idempotent).
    """
    from django.apps import apps
    from wagtail.models import Collection, Locale, Page

    for language_code in ("en", "fr"):
        Locale.objects.get_or_create(language_code=language_code)
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root", live=True))
    import_module("frameworks.migrations.0002_working_group_and_review").create(
        apps, None
    )


@pytest.fixture(autouse=True)
def _wagtail_tree(request):
    """Put back what a transactional test's flush removed, for every database test.

    Transactional tests (live_server, threads) end by flushing every table, rows
    made by migrations included; the tests after them still need the tree.
    """
    uses_db = request.node.get_closest_marker("django_db") or (
        DB_FIXTURES & set(request.fixturenames)
    )
    if uses_db:
        request.getfixturevalue("_django_db_helper")
        ensure_wagtail_tree()


class Client(django.test.Client):
    """Django's test client, whose `force_login` and `login` stand for a
    completed sign-in, second factor included, as allauth records it.

    Privileged accounts are signed out by community.middleware unless the
    session shows a second factor; tests of the sign-in itself post to
    /accounts/login/ instead (tests/community/test_mfa.py).
    """

    def _login(self, user, backend=None):
        from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
        from allauth.account.internal.flows.login import (
            _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        )
        from allauth.account.internal.userkit import user_id_to_str

        super()._login(user, backend)
        session = self.session
        now = time.time()
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": now},
            {"method": "mfa", "at": now, "type": "totp"},
        ]
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
        session.save()


@pytest.fixture
def client():
    return Client()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language. Django's LocaleMiddleware
    leaves the last request's language active in the thread, so a test that
    fetched a French page would otherwise run the next test's direct calls
    (search, emails) in French."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def make_user(email, *, password=PASSWORD, verified=True, **extra):
    """A user who signs in with this email; verified unless told otherwise."""
    User = get_user_model()
    username = email.split("@")[0]
    user = User.objects.create_user(
        username=username, email=email, password=password, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


@pytest.fixture
def home_page(db):
    """The seeded home page with the core demo pages under it."""
    from cms import seed

    seed.seed(stdout=open(os.devnull, "w"))  # noqa: SIM115
    from cms.models import HomePage

    return HomePage.default()


@pytest.fixture
def user(db):
    return make_user("member@example.org", first_name="Mira", last_name="Member")


member = user


@pytest.fixture
def other_member(db):
    return make_user("other@example.org", first_name="Omar", last_name="Other")


@pytest.fixture
def staff(db):
    return make_user(
        "coordinator@example.org",
        first_name="Cora",
        last_name="Coordinator",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def staff_with_mfa(staff):
    """A staff member with an authenticator app set up."""
    from tests.mfa import enable_totp

    enable_totp(staff)
    return staff


# --- Browser ---------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`
    + (event.sample ? ` (${event.sample})` : "")
  );
});
"""


def _watch_csp(context, violations):
    """Record every Content-Security-Policy violation in this browser context.

    Two witnesses: the `securitypolicyviolation` event of every document (and
    frame), and Chromium's console message, which also covers what happens
    before a document's scripts run or with JavaScript off.
    """
    context.expose_binding(
        "__cspViolation", lambda source, text: violations.append(text)
    )
    context.add_init_script(CSP_REPORTER)

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"console: {message.text}")

    context.on("console", on_console)


@pytest.fixture(autouse=True)
def csp_violations(request):
    """Fail a browser test whose pages broke the Content-Security-Policy.

    Every context the test opens (the `page` fixture's and its own) is watched;
    the list is this fixture's value, for tests that look at it themselves.
    """
    violations = []
    if "browser" not in request.fixturenames:
        yield violations
        return
    browser = request.getfixturevalue("browser")
    new_context = browser.new_context

    def watched_new_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        _watch_csp(context, violations)
        return context

    browser.new_context = watched_new_context
    try:
        yield violations
    finally:
        del browser.new_context
    if violations:
        pytest.fail(
            "Content-Security-Policy violations:\n" + "\n".join(violations),
            pytrace=False,
        )


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-CA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_check():
    """Assert that the page in the browser has no WCAG 2.1 A/AA violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(
            page,
            options={
                "runOnly": {
                    "type": "tag",
                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
                },
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, (
            f"axe-core found violations on {page.url}:\n" + results.generate_report()
        )

    return check


@pytest.fixture
def purges(settings):
    """A tiny HTTP server standing where Varnish would (VARNISH_URL), recording
    the purges the site sends: a list of (method, path, xkey-purge or None).

    `purges.statuses` is the statuses it answers with, in turn (200 after).
    """
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received = PurgeLog()

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            received.append((self.command, self.path, self.headers.get("xkey-purge")))
            status = received.statuses.pop(0) if received.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    location = f"http://127.0.0.1:{server.server_address[1]}"
    settings.VARNISH_URLS = [location]
    settings.WAGTAILFRONTENDCACHE = {
        "varnish0": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    }
    settings.HTTP_CACHE_PURGE_BACKOFF = 0
    yield received
    server.shutdown()
    server.server_close()


class PurgeLog(list):
    statuses = None

    def __init__(self):
        super().__init__()
        self.statuses = []

    def tags(self):
        """Every tag purged so far."""
        return {tag for _m, _p, header in self if header for tag in header.split()}
