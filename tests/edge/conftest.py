"""A real Varnish (deploy/varnish/default.vcl) in front of the live server.

`varnish` starts one varnishd for the session on a free port, in front of
pytest-django's live_server, with its working directory in tmp. `edge` empties
its cache before each test, points the app's purges at it (VARNISH_URL) and
gives a client that goes through it. Without varnishd these tests skip, as the
browser tests do without Chromium; in CI (CI=true) they fail instead.
"""

import os
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
import requests
from django.core.signals import request_started

from bench.common import free_port
from deploy import edge as edge_launcher

HOST = "localhost"  # the seeded Wagtail site: the Host that URL purges name


def _varnishd_or_skip():
    if edge_launcher.varnishd_path() is None:
        reason = f"edge test: {edge_launcher.INSTALL_HINT}"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{reason}; CI must run these tests (.ci/run installs it)")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def varnish(live_server, tmp_path_factory):
    _varnishd_or_skip()
    backend = urlsplit(live_server.url)
    port = free_port()
    workdir = tmp_path_factory.mktemp("varnish")
    log = open(workdir / "varnishd.log", "w")  # noqa: SIM115 - closed below
    process = edge_launcher.start_varnish(
        listen=f"127.0.0.1:{port}",
        backend_port=backend.port,
        workdir=workdir,
        storage="malloc,64m",
        parameters=["thread_pools=1", "thread_pool_min=10"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield Varnish(f"http://127.0.0.1:{port}", workdir / "varnish")
    edge_launcher.stop(process)
    log.close()


class Varnish:
    def __init__(self, url, name):
        self.url = url
        self.name = name

    def ban_everything(self):
        subprocess.run(  # noqa: S603
            [shutil.which("varnishadm"), "-n", str(self.name), "ban", "req.url ~ ."],
            check=True,
            capture_output=True,
            timeout=10,
        )


class EdgeClient(requests.Session):
    """A visitor's browser pointed at Varnish: relative URLs, the site's Host,
    its own cookies."""

    def __init__(self, base):
        super().__init__()
        self.base = base
        self.headers.update({"Host": HOST, "Accept-Encoding": "gzip"})

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.base + url, *args, **kwargs)

    def get(self, url, **kwargs):
        # A redirect is an answer to look at, not to follow.
        return self.request("GET", url, **kwargs)


@pytest.fixture
def edge(varnish, settings):
    """The Varnish in front of the live server, empty, receiving the app's purges;
    `edge.client()` makes a new visitor."""
    varnish.ban_everything()
    settings.VARNISH_URLS = [varnish.url]
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": varnish.url,
        }
    }
    settings.HTTP_CACHE_PURGE_BACKOFF = 0
    visitors = []

    def client():
        visitor = EdgeClient(varnish.url)
        visitors.append(visitor)
        return visitor

    varnish.client = client
    yield varnish
    for visitor in visitors:
        visitor.close()


@pytest.fixture
def backend_requests():
    """The paths of the requests that reach the app (the live server behind
    Varnish), in order, as Django starts handling each one."""
    paths = []

    def record(sender, environ=None, **kwargs):
        if environ is not None:
            paths.append(environ.get("PATH_INFO", ""))

    request_started.connect(record, weak=False, dispatch_uid="edge-backend-requests")
    yield paths
    request_started.disconnect(dispatch_uid="edge-backend-requests")
