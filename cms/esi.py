"""CSRF tokens on pages that Varnish shares, as Edge Side Includes.

Varnish asks for a page it may share with `Surrogate-Capability:
varnish="ESI/1.0"`. On such a request `{% csrf_token %}` (this module is a
template builtin that replaces Django's tag) renders an include instead of a
token and makes no CSRF cookie, and the response says `Surrogate-Control:
content="ESI/1.0"` (cms.http_cache). At delivery Varnish renders the include
for each visitor from their own `csrftoken` cookie; for a visitor without one
it first asks `csrf_secret` (reachable only through Varnish) for a new secret
and its cookie. Without Varnish (`make run`, the tests) the token renders
inline as usual. How, and why it is safe: docs/deployment.md.

The VCL reads the cookie by Django's default name: keep CSRF_COOKIE_NAME
"csrftoken" and CSRF_USE_SESSIONS off.
"""

from django import template
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.template.defaulttags import CsrfTokenNode
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache

register = template.Library()


class EdgeCsrfTokenNode(CsrfTokenNode):
    def render(self, context):
        request = context.get("request")
        capability = (
            request.META.get("HTTP_SURROGATE_CAPABILITY", "") if request else ""
        )
        if "ESI/1.0" in capability:
            request.csrf_esi = True
            return '<esi:include src="/-/csrf-token/"/>'
        return super().render(context)


@register.tag
def csrf_token(parser, token):
    return EdgeCsrfTokenNode()


@never_cache
def csrf_secret(request):
    """A new CSRF secret, made as Django's CSRF middleware makes them, and the
    cookie line for it, in headers for Varnish to use."""
    secret = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        secret,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    morsel = response.cookies.pop(settings.CSRF_COOKIE_NAME)
    response["X-Csrf-Secret"] = secret
    response["X-Csrf-Set-Cookie"] = morsel.OutputString()
    return response
