"""A seat lock that cannot be had quickly gives a friendly page, never a 500."""

import threading

import pytest
from django.db import connection, transaction

from events.models import EventPage, Registration

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_busy_event_gives_a_try_again_page_and_changes_nothing(
    client, make_event, settings
):
    settings.EVENTS_LOCK_TIMEOUT = "200ms"
    event = make_event()
    locked = threading.Event()
    release = threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(10)
        response = client.post(
            event.url + "register/",
            {"name": "Pat Patient", "email": "pat@example.org", "privacy": "on"},
        )
    finally:
        release.set()
        holder.join()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "Please try again in a few seconds" in html
    assert "Nothing was changed" in html
    assert not Registration.objects.filter(email="pat@example.org").exists()
    # Once the lock is free, the same request goes through.
    response = client.post(
        event.url + "register/",
        {"name": "Pat Patient", "email": "pat@example.org", "privacy": "on"},
    )
    assert response.status_code == 200
    assert Registration.objects.filter(email="pat@example.org").exists()
