"""Notification, digest and invitation emails, each in its member's language.

A member's emails are written in the language of their profile
(`Profile.language`: the language they signed up in, which they can change),
whatever the language of the page that set them off: compute the subject
inside `in_language_of(user)`; `send` renders the body in it too.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from cms import languages

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


def subject_prefix():
    """ACCOUNT_EMAIL_SUBJECT_PREFIX in the language being rendered."""
    return gettext(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)


def language_of(user):
    """The language the member reads their emails in."""
    from .models import Profile

    try:
        profile = user.community_profile
    except Profile.DoesNotExist:
        return languages.supported(None)
    return languages.supported(profile.language)


def in_language_of(user):
    return languages.in_language(language_of(user))


def send(*, user, subject, template, context, language=None):
    """Send one email to a member, with a signed one-click unsubscribe link,
    in the member's language (links to that language's pages), or in
    `language` when the email belongs to something written in one (compute
    the subject in the same language)."""
    with languages.in_language(language or language_of(user)):
        _send(user=user, subject=str(subject), template=template, context=context)


def _send(*, user, subject, template, context):
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
        subject=subject_prefix() + subject,
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": languages.current(),
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()
