"""The load generator: locust (headless, as a library) in its own process.

bench/run.py starts it as `python bench/load.py SPEC.json` and reads one JSON
line per scenario from its standard output. SPEC is a list of scenarios:
{"name", "url" (absolute), "users", "seconds", "cookies": {...}}.
Every request must answer 200; anything else counts as an error.
"""

import json
import sys

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment


def run_scenario(scenario):
    from urllib.parse import urlsplit

    parts = urlsplit(scenario["url"])
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    cookie = "; ".join(f"{k}={v}" for k, v in scenario.get("cookies", {}).items())
    headers = {"Accept-Encoding": "gzip", "Accept-Language": "en"}
    if cookie:
        headers["Cookie"] = cookie
    cache_states = {}

    class Visitor(FastHttpUser):
        host = f"{parts.scheme}://{parts.netloc}"
        wait_time = constant(0)
        connection_timeout = 10.0
        network_timeout = 30.0

        @task
        def visit(self):
            with self.client.get(
                target, headers=headers, name=scenario["name"], catch_response=True
            ) as response:
                state = response.headers.get("X-Page-Cache", "none")
                cache_states[state] = cache_states.get(state, 0) + 1
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")

    env = Environment(user_classes=[Visitor], events=events)
    runner = env.create_local_runner()
    runner.start(scenario["users"], spawn_rate=max(scenario["users"], 1) * 10)
    gevent.sleep(min(0.5, scenario["seconds"]))
    env.stats.reset_all()
    cache_states.clear()
    gevent.sleep(scenario["seconds"])
    stats = env.stats.total
    result = {
        "name": scenario["name"],
        "requests": stats.num_requests,
        "errors": stats.num_failures,
        "rps": stats.num_requests / scenario["seconds"],
        "p50": stats.get_response_time_percentile(0.5) or 0,
        "p95": stats.get_response_time_percentile(0.95) or 0,
        "p99": stats.get_response_time_percentile(0.99) or 0,
        "cache": dict(cache_states),
        "error_kinds": sorted({str(e.error)[:120] for e in env.stats.errors.values()}),
    }
    runner.quit()
    runner.greenlet.join(timeout=10)
    return result


def main(path):
    with open(path) as handle:
        scenarios = json.load(handle)
    for scenario in scenarios:
        print(json.dumps(run_scenario(scenario)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
