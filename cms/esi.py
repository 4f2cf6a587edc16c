"""CSRF tokens on pages that Varnish shares, through Edge Side Includes.

Varnish asks for a page with `Surrogate-Capability: varnish="ESI/1.0"` only
when the page may be stored for everyone (deploy/varnish/default.vcl). On such
a request `{% csrf_token %}` (cms/templatetags/edge_csrf.py, a template
builtin) renders `<esi:include src="/-/csrf-token/"/>` instead of a token, the
page says `Surrogate-Control: content="ESI/1.0"`, and no CSRF cookie is made
for it. At delivery Varnish fills the include in for each visitor, so the
stored page holds no token: for a visitor with a well-formed `csrftoken`
cookie Varnish renders the hidden input itself, with the unmasked secret as
the token (Django accepts it; why that is safe from BREACH:
docs/deployment.md), and asks `csrf_token_fragment` only for a visitor it has
no secret for.

A visitor without a secret gets one before the page goes out: Varnish asks
`csrf_secret` (reachable only through Varnish's own restart) for a fresh
secret made here, as Django's CSRF middleware makes them, renders the page's
fragments with it and sends it as the `csrftoken` cookie (the headers of an
ESI fragment never reach the browser, so the fragment cannot set it).

Without Varnish (`make run`, the tests) no request carries the capability and
the token renders inline as usual. The VCL reads the cookie by Django's
default name, `csrftoken` (CSRF_COOKIE_NAME must keep it; CSRF_USE_SESSIONS
must stay off).
"""

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.crypto import get_random_string
from django.utils.html import format_html
from django.views.decorators.cache import never_cache

CSRF_FRAGMENT_URL = "/-/csrf-token/"
ESI_INCLUDE = f'<esi:include src="{CSRF_FRAGMENT_URL}"/>'


def edge_processes_esi(request):
    """Whether the response to this request goes through an ESI processor."""
    return "ESI/1.0" in request.META.get("HTTP_SURROGATE_CAPABILITY", "")


def csrf_include(request):
    """What `{% csrf_token %}` renders for Varnish: the include, and a note on
    the request for SurrogateControlMiddleware."""
    request.csrf_esi = True
    return ESI_INCLUDE


class SurrogateControlMiddleware:
    """Tells Varnish to process the includes of a page that has some."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "csrf_esi", False):
            response["Surrogate-Control"] = 'content="ESI/1.0"'
        return response


@never_cache
def csrf_token_fragment(request):
    """The hidden input for the visitor's own secret; never stored."""
    return HttpResponse(
        format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
            get_token(request),
        )
    )


@never_cache
def csrf_secret(request):
    """A fresh CSRF secret and its cookie, in headers for Varnish to use."""
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
