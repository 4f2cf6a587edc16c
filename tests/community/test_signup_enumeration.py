"""Signing up with a taken address does the same work as with a new one.

Without timing: the work is counted (password hashes, emails queued), so the
test does not depend on the machine's speed.
"""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django_tasks import default_task_backend

from cms.tasks import send_email_message
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    """Django's test hasher, counting the passwords it hashes."""

    algorithm = "counting_md5"
    hashed = []

    def encode(self, password, salt):
        self.hashed.append(password)
        return super().encode(password, salt)


@pytest.fixture
def queued(settings):
    """Tasks are queued, not run, so the test sees what the request sent."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    settings.PASSWORD_HASHERS = [
        "tests.community.test_signup_enumeration.CountingHasher",
        *settings.PASSWORD_HASHERS,
    ]
    CountingHasher.hashed.clear()
    default_task_backend.clear()
    return default_task_backend


def sign_up(client, email):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "display_name": "New Member",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def run_queued(backend):
    for result in backend.results:
        result.task.call(*result.args, **result.kwargs)
    backend.clear()


def test_both_sign_up_paths_hash_the_password_and_queue_one_email(
    client, home_page, queued
):
    make_user("taken@example.org")
    CountingHasher.hashed.clear()

    taken = sign_up(client, "taken@example.org")
    taken_work = (list(CountingHasher.hashed), [r.task for r in queued.results])
    taken_outbox = len(mail.outbox)
    run_queued(queued)
    taken_mail = list(mail.outbox)
    mail.outbox.clear()
    CountingHasher.hashed.clear()

    new = sign_up(client, "new@example.org")
    new_work = (list(CountingHasher.hashed), [r.task for r in queued.results])
    new_outbox = len(mail.outbox)
    run_queued(queued)
    new_mail = list(mail.outbox)

    # The same answer...
    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"] == "/accounts/confirm-email/"
    # ...after the same work: one password hashed, one email queued, none sent
    # in the request.
    assert taken_work == new_work == ([PASSWORD], [send_email_message])
    assert taken_outbox == new_outbox == 0
    # The queued emails: the owner hears that they have an account, the new
    # address gets its confirmation link.
    assert [m.to for m in taken_mail] == [["taken@example.org"]]
    assert "already" in taken_mail[0].body.lower()
    assert [m.to for m in new_mail] == [["new@example.org"]]
    assert "/accounts/confirm-email/" in new_mail[0].body
