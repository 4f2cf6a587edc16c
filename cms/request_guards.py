"""Refuse requests whose text no view could store or trust: one check for all.

PostgreSQL refuses NUL in text, so a NUL byte in the path, a query parameter
or a form field used to reach the database and fail there with a server
error, on whichever view looked at it. The other C0 control characters (all
but tab, line feed and carriage return) are never part of valid text either.
And Django decodes a query string or form body that is not UTF-8 with
replacement characters, so garbage was accepted and saved as text.

`RequestGuardMiddleware` answers such requests with a 400 that says what is
wrong, before any view runs and so before anything is changed: JSON under
/api/ (the shape django-ninja uses for errors), a short page elsewhere.
"""

import codecs
import re
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# C0 control characters except tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
REPLACEMENT_CHARACTER = "\ufffd"
API_PREFIX = "/api/"


class BadRequestText(Exception):
    """What is wrong with the request's text, in words for the client."""


def has_control_characters(text):
    return CONTROL_CHARACTERS.search(text) is not None


def _query_control_message():
    return _(
        "The query string contains a NUL byte or another control character, "
        "which is not allowed in text."
    )


def _query_utf8_message():
    return _("The query string is not valid UTF-8 text.")


def _form_control_message():
    return _(
        "A form field contains a NUL byte or another control character, which "
        "is not allowed in text."
    )


def _form_utf8_message():
    return _("The form data is not valid UTF-8 text.")


def _texts(querydict):
    for key, values in querydict.lists():
        yield key
        for value in values:
            yield value if isinstance(value, str) else getattr(value, "name", "")


def _check_values(querydict, message):
    for text in _texts(querydict):
        if has_control_characters(text or ""):
            raise BadRequestText(message())


def _check_utf8(raw, message):
    """`raw` (percent-encoded bytes) must decode as UTF-8 before and after
    unquoting; '&' and '=' are ASCII, so checking the whole is checking each
    name and value."""
    try:
        raw.decode("utf-8")
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequestText(message()) from None


def _is_utf8(charset):
    try:
        return codecs.lookup(charset or "utf-8").name == "utf-8"
    except LookupError:
        return False


def _query_bytes(request):
    query = request.META.get("QUERY_STRING", "")
    if isinstance(query, bytes):
        return query
    try:
        # WSGI gives the raw bytes as a latin-1 string (PEP 3333).
        return query.encode("latin-1")
    except UnicodeEncodeError:
        return query.encode("utf-8")


def check_request(request):
    """Raise BadRequestText if the path, query or form fields are not text."""
    if has_control_characters(request.path_info):
        raise BadRequestText(
            _(
                "The address contains a NUL byte or another control character, "
                "which is not allowed in text."
            )
        )
    _check_utf8(_query_bytes(request), _query_utf8_message)
    _check_values(request.GET, _query_control_message)
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    content_type = request.content_type
    charset = request.content_params.get("charset")
    if content_type == "application/x-www-form-urlencoded":
        # Django reads these bodies only as UTF-8 (another charset is a 400).
        _check_utf8(request.body, _form_utf8_message)
        _check_values(request.POST, _form_control_message)
    elif content_type == "multipart/form-data":
        # Django parses multipart bodies as a stream and puts U+FFFD for
        # bytes that do not decode. When the body is small enough to be read
        # whole (Django's own limit for form data in memory), a U+FFFD that
        # the raw body does not contain came from such bytes.
        raw = None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        small = length is not None and (limit is None or length <= limit)
        if _is_utf8(charset) and small:
            raw = request.body
        _check_values(request.POST, _form_control_message)
        _check_values(request.FILES, _form_control_message)
        replaced = raw is not None and REPLACEMENT_CHARACTER.encode() not in raw
        if replaced and any(REPLACEMENT_CHARACTER in t for t in _texts(request.POST)):
            raise BadRequestText(_form_utf8_message())


def bad_request(request, message):
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponse(render_to_string("400.html", {"message": message}), status=400)


class RequestGuardMiddleware:
    """Answer 400 to requests with NUL or control characters in the path, the
    query or form fields, or a query or form body that is not UTF-8."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except BadRequestText as exc:
            return bad_request(request, str(exc))
        return self.get_response(request)
