"""Signed links in registration emails: view or cancel, and guest confirmation."""

from django.core import signing

MANAGE_SALT = "events.registration.manage"
CONFIRM_SALT = "events.registration.confirm"
# A guest has three days to confirm their email before the link stops working.
CONFIRM_MAX_AGE = 3 * 24 * 3600


def manage_token(registration):
    """The same token every time: it is in every email and never expires."""
    return signing.Signer(salt=MANAGE_SALT).sign_object(
        [registration.pk, registration.code]
    )


def confirm_token(registration):
    return signing.dumps([registration.pk, registration.code], salt=CONFIRM_SALT)


def _load(token, salt, max_age=None):
    """Return (pk, code) from a token, or None if it was tampered with or expired."""
    try:
        pk, code = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return pk, code


def registration_from_manage_token(token):
    from .models import Registration

    try:
        loaded = signing.Signer(salt=MANAGE_SALT).unsign_object(token)
        pk, code = loaded
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Registration.objects.select_related("event").filter(pk=pk, code=code).first()


def registration_from_confirm_token(token):
    from .models import Registration

    loaded = _load(token, CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    if loaded is None:
        return None
    return (
        Registration.objects.select_related("event")
        .filter(pk=loaded[0], code=loaded[1])
        .first()
    )
