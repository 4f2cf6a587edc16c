"""The API's language: `?lang=`, else `Accept-Language` (issue 21).

Pages take their language from their address (/fr/…); the API has one
address for both languages, so it takes the one asked for, the way API
clients ask: `?lang=fr`, or the `Accept-Language` header. Its human-readable
errors (`detail`) are in that language; the response says which
(`Content-Language`) and that it depends on the header (`Vary`), which the
shared cache reduces to the two languages (deploy/varnish).
"""

from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header

from . import languages

API_PREFIX = "/api/"


def api_language(request):
    """The language an API request asks for; the site's when it asks for none
    that the site speaks. The language cookie of the pages is not read: an
    answer must not depend on what a browser did elsewhere."""
    asked = request.GET.get("lang", "")
    if asked:
        return languages.supported(asked)
    for code, _quality in parse_accept_lang_header(
        request.headers.get("Accept-Language", "")
    ):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return languages.supported(None)


class ApiLanguageMiddleware:
    """Activate the asked-for language for /api/ (after LocaleMiddleware,
    which gives every address without a language prefix the site's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        language = api_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers["Content-Language"] = language
        return response


# The English is ninja's own, which clients may already compare against.
NOT_FOUND = _("Not Found")

# The API's messages for pydantic's error types, in the request's language;
# any other keeps pydantic's (English) message.
MESSAGES = {
    "missing": _("This field is required."),
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "int_from_float": _("Enter a whole number."),
    "float_parsing": _("Enter a number."),
    "float_type": _("Enter a number."),
    "bool_parsing": _("Enter true or false."),
    "greater_than": _("Enter a number greater than %(gt)s."),
    "greater_than_equal": _("Enter a number greater than or equal to %(ge)s."),
    "less_than": _("Enter a number less than %(lt)s."),
    "less_than_equal": _("Enter a number less than or equal to %(le)s."),
    "string_too_short": _("Enter at least %(min_length)s characters."),
    "string_too_long": _("Enter at most %(max_length)s characters."),
    "literal_error": _("Choose one of: %(expected)s."),
    "enum": _("Choose one of: %(expected)s."),
    "date_parsing": _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
    "json_invalid": _("The request body is not valid JSON."),
}


def translate_error(error):
    """One pydantic error (a dict) with its `msg` in the active language."""
    if not isinstance(error, dict) or error.get("type") not in MESSAGES:
        return error
    context = dict(error.get("ctx") or {})
    if "expected" in context:
        # pydantic's "'a', 'b' or 'c'": the values alone, in no language.
        context["expected"] = str(context["expected"]).replace(" or ", ", ")
    try:
        message = str(MESSAGES[error["type"]]) % context
    except (KeyError, TypeError, ValueError):
        return error
    return {**error, "msg": message}


def install(api):
    """The API's 404 and 422 answers, in the request's language."""
    from django.http import Http404
    from ninja.errors import ValidationError

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": str(NOT_FOUND)}, status=404)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors = exc.errors
        if isinstance(errors, list):
            errors = [translate_error(error) for error in errors]
        return api.create_response(request, {"detail": errors}, status=422)
