"""gunicorn as `make serve` runs it: a burst of keep-alive connections (a load
balancer opening its pool, a load test) is spread over the workers instead of
piling up on the first to wake (cms/gunicorn_worker.py)."""

import collections
import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
CONNECTIONS = 12


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(request):
    port = _free_port()
    env = {
        **os.environ,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_THREADS": "2",
        "GUNICORN_ACCESS_LOG": "",
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        **getattr(request, "param", {}),
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "tests.serving.pid_app:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    pids = set()
    # Up once every worker has answered (each new connection goes to one).
    while len(pids) < WORKERS and time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn stopped:\n{process.stderr.read()}")
        try:
            pids.add(_ask(_connect(port)))
        except OSError:
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)


def _connect(port):
    return http.client.HTTPConnection("127.0.0.1", port, timeout=10)


def _ask(connection):
    connection.request("GET", "/")
    response = connection.getresponse()
    assert response.status == 200
    return response.read().decode()


def _burst(port):
    """Open the connections all at once, then ask on each which worker has it."""
    connections = [_connect(port) for _ in range(CONNECTIONS)]
    for connection in connections:
        connection.connect()
    try:
        served = [_ask(connection) for connection in connections]
        # Kept alive: each connection stays with the worker that accepted it.
        assert [_ask(connection) for connection in connections] == served
    finally:
        for connection in connections:
            connection.close()
    return sorted(collections.Counter(served).values(), reverse=True)


def test_a_burst_of_connections_is_shared_by_the_workers(server):
    for _round in range(3):
        shares = _burst(server)
        assert len(shares) == WORKERS, shares
        # The average is 4; a race between two workers deciding at once may
        # leave one a connection over.
        assert max(shares) <= CONNECTIONS // WORKERS + 1, shares
        time.sleep(0.3)  # the closed connections are counted down


def test_a_worker_that_dies_leaves_its_share_to_its_replacement(server):
    import signal

    before = set()
    for _round in range(5):
        before |= set(_served_by(server))
    victim = int(sorted(before)[0])
    os.kill(victim, signal.SIGKILL)
    time.sleep(1.5)  # the master starts another in its place
    shares = _burst(server)
    assert len(shares) == WORKERS, shares
    assert max(shares) <= CONNECTIONS // WORKERS + 1, shares


def _served_by(port):
    connections = [_connect(port) for _ in range(CONNECTIONS)]
    try:
        return [_ask(connection) for connection in connections]
    finally:
        for connection in connections:
            connection.close()
