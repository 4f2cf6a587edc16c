"""Seats are never oversold, even when many people register at the same instant."""

import threading
import time

import pytest
from django.db import connection

from events import services
from events.models import Registration

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 24
SEATS = 5


def _register_all_at_once(event, *, lock):
    barrier = threading.Barrier(PEOPLE)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            services.register(
                event=event,
                name=f"Person {n}",
                email=f"racer{n}@example.org",
                email_verified=True,
                lock=lock,
            )
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def slow_allocation(monkeypatch):
    """Widen the window between reading the seat count and writing the seat."""
    monkeypatch.setattr(services, "before_allocate_hook", lambda: time.sleep(0.05))


def test_simultaneous_registrations_fill_exactly_the_seats(
    make_event, slow_allocation, settings
):
    # Everyone queues for the lock here; a busy machine must not turn the
    # wait into "try again" answers, which the lock-timeout test covers.
    settings.EVENTS_LOCK_TIMEOUT = "60s"
    event = make_event(capacity=SEATS)
    errors = _register_all_at_once(event, lock=True)
    assert errors == []
    confirmed = Registration.objects.filter(event=event, status="confirmed").count()
    waitlisted = Registration.objects.filter(event=event, status="waitlisted").count()
    assert confirmed == SEATS
    assert waitlisted == PEOPLE - SEATS


def test_control_without_the_lock_oversells(make_event, slow_allocation):
    """Proves the test above can see a race: without the row lock it oversells."""
    event = make_event(capacity=SEATS)
    errors = _register_all_at_once(event, lock=False)
    assert errors == []
    confirmed = Registration.objects.filter(event=event, status="confirmed").count()
    assert confirmed > SEATS
