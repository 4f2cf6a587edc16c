from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class StaffTwoFactorMiddleware:
    """Keep staff out of the admin until they have turned on two-factor sign-in.

    Staff accounts can publish and see private material, so a stolen password
    alone must not open the admin. Members who are not staff are unaffected.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path.startswith(ADMIN_PREFIXES)
            and user is not None
            and user.is_authenticated
            and (user.is_staff or user.is_superuser)
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                _(
                    "Staff accounts need two-factor sign-in before they can use the "
                    "admin. Set up an authenticator app to continue."
                ),
            )
            url = reverse("mfa_activate_totp")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
