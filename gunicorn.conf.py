"""gunicorn for `make serve` and the benchmark: workers sized to the cores.

Environment: BIND (127.0.0.1:8000), WEB_CONCURRENCY (workers; 2 x cores + 1),
GUNICORN_THREADS (threads per worker; 4), GUNICORN_ACCESS_LOG ("-" for stdout,
empty for none), FORWARDED_ALLOW_IPS (the reverse proxy's address),
GUNICORN_WORKER_CLASS (gunicorn's own "gthread" to compare with ours).
"""

import gc
import multiprocessing
import os

from cms.gunicorn_worker import free_slot, take_slot

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threads let a worker keep connections alive and overlap database waits; this
# gthread worker takes no more than its share of them (cms/gunicorn_worker.py).
worker_class = os.environ.get(
    "GUNICORN_WORKER_CLASS", "cms.gunicorn_worker.BalancedThreadWorker"
)
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5
timeout = 30
graceful_timeout = 30
# Recycle workers now and then so that a slow leak cannot grow for ever; not
# so often that a busy site keeps paying for fresh workers (at 2,000 requests a
# second, 5,000 meant a restart every few seconds somewhere, each one a burst
# of slow requests while the new worker warms up).
max_requests = 50000
max_requests_jitter = 5000
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "cms.wsgi:application"


def when_ready(server):
    # The app is loaded (preload_app): do in the master what each worker would
    # otherwise do in its first requests (URL resolver, templates, translations,
    # cache clients; cms/warm.py), so that no visitor waits for it, including
    # after a worker is recycled.
    from cms.warm import warm_up

    warm_up()


def pre_fork(server, worker):
    # The app is loaded (preload_app): move its objects, a few hundred thousand
    # modules, classes and templates that live as long as the process, out of
    # the garbage collector's sight. Otherwise every full collection walks
    # them all, a pause of 100 ms or more in the middle of some request; it
    # also keeps the pages shared with the workers untouched (copy-on-write).
    gc.freeze()
    # Where the worker counts its connections for the others to see.
    take_slot(server, worker)


def child_exit(server, worker):
    free_slot(server, worker)
