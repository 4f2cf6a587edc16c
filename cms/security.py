"""Security headers: Content-Security-Policy (django-csp) and Permissions-Policy.

The public site gets the strict policy of `settings.CONTENT_SECURITY_POLICY`;
the Wagtail and Django admins get `settings.CSP_ADMIN_POLICY`, which relaxes
only what their own code needs (docs/security.md says why for each source).
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin's policy by path.

    A view's own `@csp`/`@csp_update` decorators still win over both.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(tuple(settings.CSP_ADMIN_PATHS))
        ):
            parts.config = default_config(settings.CSP_ADMIN_POLICY)
        if getattr(request, "is_dummy", False) and not report_only:
            # Wagtail's preview renders the page through the middleware with a
            # made-up request for the page's own URL: the page's policy, except
            # that the editor beside it may frame it.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts


class PermissionsPolicyMiddleware:
    """Turn off the browser features the site never uses, for every response.

    A page (or something injected into one) then cannot ask for the camera,
    the microphone, the visitor's location, payments, USB devices and the like,
    and no embedded frame can be given them either.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowlist)})"
            for feature, allowlist in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
