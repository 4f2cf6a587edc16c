from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
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


@task()
def send_email_message(
    *,
    subject,
    body,
    to,
    from_email=None,
    alternatives=(),
    content_subtype="plain",
    headers=None,
    reply_to=(),
):
    """Send an email rendered in a request (allauth's account emails)."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email,
        to=to,
        reply_to=list(reply_to) or None,
        headers=headers or None,
    )
    message.content_subtype = content_subtype
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    message.send()


def enqueue_email_message(message):
    """Send an already rendered EmailMessage from the task queue."""
    return send_email_message.enqueue(
        subject=str(message.subject),
        body=str(message.body),
        to=list(message.to),
        from_email=message.from_email,
        alternatives=[
            [str(content), mimetype]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        content_subtype=message.content_subtype,
        headers=dict(message.extra_headers),
        reply_to=list(message.reply_to),
    )
