"""What a page with a form costs Varnish, against a static file, in one run.

    python bench/edge_cost.py [--database mc_bench] [--rounds 4] [--seconds 5]
        [--vcl other.vcl ...]

On a database `bench/run.py` has seeded, starts gunicorn (production settings)
behind varnishd with deploy/varnish/default.vcl (or each --vcl in turn) and
runs wrk, 50 connections, on a hashed static file, the home page and an event
page (its registration form's CSRF token is an ESI include), one after the
other, for several rounds: on a busy machine only figures from the same round
compare. A returning visitor (a `csrftoken` cookie), as in bench/run.py.
Prints requests a second, the ratio to the static file of the same round and
varnishd's CPU time per request (user + system, all its threads), which
depends little on what else the machine runs. Figures: docs/deployment.md.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as harness  # noqa: E402
from bench.common import free_port  # noqa: E402
from deploy import edge  # noqa: E402

COOKIE = "csrftoken=" + "b" * 32
HEADERS = {"Accept-Encoding": "gzip", "Accept-Language": "en", "Cookie": COOKIE}


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def wrk(url, seconds, connections):
    headers = [
        arg for name, value in HEADERS.items() for arg in ("-H", f"{name}: {value}")
    ]
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(
        next(line for line in output.splitlines() if "requests in" in line).split()[0]
    )


def measure(vcl, urls, app_base, args):
    port = free_port()
    edge.VCL = Path(vcl)
    varnish = edge.start_varnish(
        listen=f"127.0.0.1:{port}",
        backend_port=int(app_base.rsplit(":", 1)[1]),
        workdir=tempfile.mkdtemp(prefix="edge-cost-"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1)
        children = subprocess.run(
            ["pgrep", "-P", str(varnish.pid)], capture_output=True, text=True
        ).stdout.split()
        pids = [int(pid) for pid in children]
        base = f"http://127.0.0.1:{port}"
        for name, url in urls.items():
            for _ in range(3):  # stored, then hits
                request = urllib.request.Request(base + url, headers=HEADERS)  # noqa: S310
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    body = response.read()
            encoding = response.headers.get("Content-Encoding") or "identity"
            print(f"  {name}: {url}, {len(body):,} bytes {encoding}")  # noqa: T201
        rows = {name: [] for name in urls}
        for _ in range(args.rounds):
            for name, url in urls.items():
                before = cpu_seconds(pids)
                requests = wrk(base + url, args.seconds, args.connections)
                spent = cpu_seconds(pids) - before
                rows[name].append((requests / args.seconds, spent / requests * 1e6))
        print(f"{vcl} (load average {os.getloadavg()[0]:.1f} at the end)")  # noqa: T201
        for name, figures in rows.items():
            cells = [
                f"{rps:8.0f}/s {ratio:4.2f} {cost:5.1f} µs"
                for (rps, cost), (static, _) in zip(
                    figures, rows["static"], strict=True
                )
                for ratio in [rps / static]
            ]
            print(f"  {name:<8}" + " |".join(cells))  # noqa: T201
    finally:
        edge.stop(varnish)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="mc_bench")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--vcl", action="append", default=[])
    args = parser.parse_args()
    env = harness.bench_environment(args.database, free_port())
    os.environ.update({**env, "VARNISH_URL": ""})
    import django

    django.setup()
    from django.contrib.staticfiles.storage import staticfiles_storage

    from bench import seed

    urls = {
        "static": staticfiles_storage.url("css/site.css"),
        "home": "/",
        "event": seed.seed_events(0, 0, open(os.devnull, "w")),  # noqa: SIM115
    }
    app, app_base = harness.start_server(env, workers=None)
    try:
        for vcl in args.vcl or [edge.VCL]:
            measure(vcl, urls, app_base, args)
    finally:
        harness.stop_server(app)


if __name__ == "__main__":
    main()
