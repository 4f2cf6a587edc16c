"""A limit on guessing the password of Wagtail's password-protected pages.

Wagtail's form takes any number of tries. Here failures count per client
address and view restriction (one password protects a page and its subtree),
like failed sign-ins: past PAGE_PASSWORD_RATE_LIMIT, further tries from that
address are refused with 429, the right password included, until the window
passes.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import views as wagtail_views
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction

from .forms import parse_rate
from .http import client_ip


def authenticate_with_password(request, page_view_restriction_id, page_id):
    if request.method != "POST":
        return wagtail_views.authenticate_with_password(
            request, page_view_restriction_id, page_id
        )
    limit, period = parse_rate(settings.PAGE_PASSWORD_RATE_LIMIT)
    key = f"page-password:{page_view_restriction_id}:{client_ip(request)}"
    if cache.get(key, 0) >= limit:
        return _refused(request, page_view_restriction_id, page_id, period)
    response = wagtail_views.authenticate_with_password(
        request, page_view_restriction_id, page_id
    )
    if response.status_code != 302:  # the password was wrong
        cache.add(key, 0, timeout=period)
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.set(key, 1, timeout=period)
    return response


def _refused(request, page_view_restriction_id, page_id, period):
    restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
    page = get_object_or_404(Page, id=page_id).specific
    form = PasswordViewRestrictionForm(instance=restriction)
    form.errors[NON_FIELD_ERRORS] = form.error_class(
        [
            _(
                "Too many wrong passwords from your address. Please wait "
                "%(minutes)d minutes and try again."
            )
            % {"minutes": max(1, period // 60)}
        ]
    )
    action_url = reverse(
        "wagtailcore_authenticate_with_password", args=[restriction.id, page.id]
    )
    response = page.serve_password_required_response(request, form, action_url)
    response.status_code = 429
    return response
