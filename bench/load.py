"""The load generator: wrk (Debian's package) in its own processes.

wrk is a load generator written in C: on a two-core machine it leaves the
server nearly all of the CPU, where a Python one (locust) took most of a core
and its own scheduling showed up as latency. bench/run.py calls `run(scenarios)`;
each scenario is {"name", "url" (absolute), "users" (connections), "seconds",
"cookies": {...}, "warm_up" (seconds of untimed load first, to open the
connections; 0 for none), "pace_ms" (optional: each connection waits this long
before each request, like a visitor reading; without it, requests follow each
other back to back)}. Every request must answer 200; anything else counts as
an error.
bench/load.lua counts the responses and prints the figures.
"""

import json
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).with_name("load.lua")
INSTALL_HINT = "the load test needs wrk: apt-get install wrk"


def available():
    return shutil.which("wrk") is not None


def _wrk(scenario, seconds):
    cookie = "; ".join(f"{k}={v}" for k, v in scenario.get("cookies", {}).items())
    args = ["Accept-Encoding: gzip", "Accept-Language: en"]
    if cookie:
        args.append(f"Cookie: {cookie}")
    if scenario.get("pace_ms"):
        args.append(f"pace={int(scenario['pace_ms'])}")
    users = scenario["users"]
    command = [
        "wrk",
        f"--threads={min(2, users)}",
        f"--connections={users}",
        f"--duration={seconds}s",
        "--timeout=30s",
        f"--script={SCRIPT}",
        scenario["url"],
        "--",
        *args,
    ]
    process = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    lines = [line for line in process.stdout.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed: {process.stderr.strip()[-500:]}")
    return json.loads(lines[-1])


def run_scenario(scenario):
    """One scenario: the untimed warm-up, then the timed run (whole seconds)."""
    if scenario.get("warm_up"):
        _wrk(scenario, max(1, round(scenario["warm_up"])))
    result = _wrk(scenario, max(1, round(scenario["seconds"])))
    result["name"] = scenario["name"]
    result["error_kinds"] = sorted(set(result["error_kinds"]))
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0
    return result


def run(scenarios):
    return [run_scenario(scenario) for scenario in scenarios]
