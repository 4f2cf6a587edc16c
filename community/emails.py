"""Notification, digest and invitation emails."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

UNSUBSCRIBE_SALT = "community.unsubscribe"


def unsubscribe_token(user):
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token):
    """The user id in a valid token, or None."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def unsubscribe_url(user):
    return settings.SITE_URL + reverse(
        "community:unsubscribe", args=[unsubscribe_token(user)]
    )


def send(*, user, subject, template, context):
    """Send one email to a member, with a signed one-click unsubscribe link."""
    url = unsubscribe_url(user)
    context = {
        **context,
        "user": user,
        "unsubscribe_url": url,
        "site_url": settings.SITE_URL,
        "settings_url": settings.SITE_URL + reverse("community:edit_profile"),
    }
    text = render_to_string(f"community/email/{template}.txt", context)
    html = render_to_string(f"community/email/{template}.html", context)
    # Names and titles come from members and may hold line breaks, which a
    # header cannot: one line, or the email (and the rest of the batch) fails.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()
