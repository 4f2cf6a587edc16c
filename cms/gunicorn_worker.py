"""gunicorn's gthread worker, taking no more than its share of connections.

Every worker waits for new connections on the one listening socket, and the
kernel hands each to whichever worker asks first. A worker that has just
accepted one is awake and asks again first, so a burst of keep-alive
connections (a load balancer opening its pool, a load test, a browser's six)
piles up on one or two workers: measured on two cores with five workers, ten
connections landed 5/5, 7/3 or 7/2/1. A worker runs Python on one core at a
time (the GIL), so its connections then share one core while the other idles,
and their latency doubles.

This worker stops accepting while it holds more connections than the
average of all workers (kept in shared memory, one slot per worker, which
the master hands out before forking: `take_slot`, `free_slot` in
gunicorn.conf.py), and a worker with the fewest always accepts. Closed
connections count down, so the share follows the load. A connection that
waits longer than a few looks at the counts (100 ms) is taken by whichever
worker sees it, so that no count, right or wrong, can keep a visitor waiting.
"""

import math
import multiprocessing
import select

from gunicorn.workers.gthread import ThreadWorker

SLOTS = 256
# Created in the master when gunicorn loads this class, before any fork: the
# workers share them. _connections[slot] is that worker's open connections.
_connections = multiprocessing.RawArray("i", SLOTS)
_in_use = multiprocessing.RawArray("b", SLOTS)
# How often a worker that has stopped accepting looks at the others' counts
# again (otherwise it would wait for its own next event, up to a second).
RECHECK_SECONDS = 0.02
# Looks after which a connection still waiting is taken whatever the counts.
FAIL_OPEN_LOOKS = 5


def take_slot(server, worker):
    """gunicorn's pre_fork hook (in the master): give the new worker a slot."""
    used = {getattr(w, "slot", None) for w in server.WORKERS.values()}
    worker.slot = next((n for n in range(SLOTS) if n not in used), None)
    if worker.slot is not None:
        _connections[worker.slot] = 0
        _in_use[worker.slot] = 1


def free_slot(server, worker):
    """gunicorn's child_exit hook (in the master): the worker is gone."""
    slot = getattr(worker, "slot", None)
    if slot is not None:
        _in_use[slot] = 0
        _connections[slot] = 0


def fair_share(slot, open_connections):
    """How many connections the worker in `slot` may hold before it stops
    accepting: as many as the average of the workers, rounded down, plus
    one, so that it accepts while it holds no more than the average."""
    _connections[slot] = open_connections
    counts = [count for count, used in zip(_connections, _in_use, strict=True) if used]
    return math.floor(sum(counts) / len(counts)) + 1


class BalancedThreadWorker(ThreadWorker):
    _looks_waiting = 0

    # gthread accepts while `nr_conns < worker_connections`, checked on each
    # turn of its event loop: here that bound is the fair share.
    @property
    def worker_connections(self):
        slot = getattr(self, "slot", None)
        if slot is None:
            return self._most_connections
        return min(self._most_connections, fair_share(slot, self.nr_conns))

    @worker_connections.setter
    def worker_connections(self, value):
        self._most_connections = value

    def accept(self, listener):
        super().accept(listener)
        slot = getattr(self, "slot", None)
        if slot is not None:
            # At once: the other workers are deciding whether to accept too.
            _connections[slot] = self.nr_conns

    def wait_for_and_dispatch_events(self, timeout):
        if self._accepting:
            super().wait_for_and_dispatch_events(timeout)
            return
        super().wait_for_and_dispatch_events(min(timeout, RECHECK_SECONDS))
        # Fail open: a connection that no worker has taken for a few looks
        # (100 ms) is taken here, whatever the counts say: a slot left behind
        # must not keep new visitors waiting.
        waiting = select.select(self.sockets, [], [], 0)[0] if self.alive else []
        self._looks_waiting = self._looks_waiting + 1 if waiting else 0
        if self._looks_waiting > FAIL_OPEN_LOOKS:
            for listener in waiting:
                self.accept(listener)
