from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from .accounts import authenticated_with, is_privileged


class TwoFactorGateMiddleware:
    """Sign out any privileged account whose second factor this session has
    not verified (see community.accounts). Views then see an anonymous
    visitor, whatever they check.

    Costs a query for signed-in sessions without a second factor (members).
    Requests without a session cookie are left alone, so their session is not
    read and their response does not vary on cookies because of this check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and user is not None
            and user.is_authenticated
            and not authenticated_with(request, user, "mfa")
            and is_privileged(user)
        ):
            logout(request)
            messages.warning(
                request,
                _(
                    "This account has staff or chair rights, so it needs two-factor "
                    "sign-in. Please sign in again."
                ),
            )
        return self.get_response(request)
