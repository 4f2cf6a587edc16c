"""gunicorn for `make serve` and the benchmark, behind Varnish (docs/caching.md).

Environment: BIND (127.0.0.1:8000), WEB_CONCURRENCY (workers; 2 x cores + 1),
GUNICORN_THREADS (threads per worker; 4), GUNICORN_ACCESS_LOG ("-" for stdout,
empty for none), FORWARDED_ALLOW_IPS (the reverse proxy's address).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# gunicorn's own threaded worker; Varnish in front holds the clients' keep-alive
# connections, so the workers see a few busy connections from it.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5
timeout = 30
graceful_timeout = 30
# Recycle workers now and then so that a slow leak cannot grow for ever.
max_requests = 50000
max_requests_jitter = 5000
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "cms.wsgi:application"
