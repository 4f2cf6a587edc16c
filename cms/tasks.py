from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_contact_email(*, subject, body, recipients, reply_to=None):
    """Send a contact-form message to the coordinator."""
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[reply_to] if reply_to else None,
        headers={"Auto-Submitted": "auto-generated"},
    ).send()


@task()
def purge_http_cache(tags):
    """Ask the shared HTTP caches to drop what is tagged with `tags` (retried
    and logged in cms.http_cache.send_purge)."""
    from .http_cache import send_purge

    send_purge(tags)
