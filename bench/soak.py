"""The soak: mixed anonymous traffic for minutes, a fifth of it new searches.

bench/run.py calls `run()` with the site as it serves it (gunicorn behind
Varnish): 50 connections back to back for `seconds` (300 in full mode, 10 in
quick mode; `--soak-seconds`), every connection cycling through the page
types' anonymous URLs, with every fifth request a site search for a word never
asked before (bench/soak.lua makes them up), which no cache can answer: Varnish
passes it to gunicorn and the search runs in full. Issue 19 found such
searches stalling a worker for seconds when the popular-queries counts were
written inside a request; the goal is no request over one second.

It reports p50/p95/p99, the slowest request and how many took over a second.
"""

import json
import secrets
import string
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).with_name("soak.lua")
USERS = 50
SEARCH_EVERY = 5  # a fifth of the requests
SLOW_MS = 1000


def run(base, paths, *, seconds, users=USERS):
    """Soak `base` (Varnish's URL) with `paths` and new-word searches."""
    nonce = "".join(secrets.choice(string.ascii_lowercase) for _ in range(4))
    command = [
        "wrk",
        f"--threads={min(2, users)}",
        f"--connections={users}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=30s",
        f"--script={SCRIPT}",
        base + "/",
        "--",
        f"search_every={SEARCH_EVERY}",
        f"nonce=soak{nonce}",
        # A returning visitor, as bench/load.py sends: pages with a form cost
        # their one token fragment.
        "Accept-Encoding: gzip",
        "Accept-Language: en",
        "Cookie: csrftoken=" + "b" * 32,
        *paths,
    ]
    process = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    lines = [line for line in process.stdout.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed: {process.stderr.strip()[-500:]}")
    result = json.loads(lines[-1])
    result["users"] = users
    result["error_kinds"] = sorted(set(result["error_kinds"]))
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0
    return result


def report(result, say=print):
    """Print the soak's figures; returns the failures (errors) to report."""
    if result is None:
        return ["soak: not run"]
    say(
        f"\nSoak: {result['users']} connections for {result['seconds']:.0f} s of "
        f"mixed anonymous traffic through Varnish, every {SEARCH_EVERY}th request "
        f"a search for a new word ({result['searches']:,} asked)"
    )
    verdict = "met" if result["over_1s"] == 0 else "MISSED"
    say(
        f"{result['requests']:,} requests, {result['rps']:.0f}/s; p50 "
        f"{result['p50']:.0f} ms, p95 {result['p95']:.0f}, p99 {result['p99']:.0f}, "
        f"slowest {result['max']:.0f} ms; over one second: "
        f"{'at least ' if result['over_1s_at_least'] else ''}{result['over_1s']} "
        f"({verdict}: goal none); errors: {result['errors']}"
    )
    if result["errors"]:
        return [f"soak: {result['errors']} errors {result['error_kinds']}"]
    return []
