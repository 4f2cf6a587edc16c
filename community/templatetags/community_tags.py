import hashlib

from django import template
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import get_template
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def member_name(user):
    """The name a member shows to others; deleted accounts are former members."""
    if user is None:
        return _("A former member")
    try:
        return user.community_profile.name
    except ObjectDoesNotExist:
        return user.get_full_name() or user.get_username()


# Stand in for the request's CSRF token and the form's address in the shared copy.
CSRF_HOLE = "csrf-token-of-this-reply-form"
ACTION_HOLE = "/address-of-this-form/"
POST_FORM_TEMPLATE = "community/_post_form.html"


@register.simple_tag(takes_context=True)
def post_form(context, form, action, submit_label):
    """`{% include "community/_post_form.html" %}` for the reply form.

    A blank form is the same on every thread but for the CSRF token and its
    address: it is rendered once per language and label with stand-ins for
    those, kept in the cache (the template's own text is part of the key), and
    each request puts its own in, escaped as the template would. A form with
    input, errors or a preview is rendered per request.
    """
    form_template = get_template(POST_FORM_TEMPLATE).template
    token = context.get("csrf_token")
    if (
        form.is_bound
        or context.get("preview_html")
        or not token
        or token == "NOTPROVIDED"  # noqa: S105 - Django's marker, not a secret
    ):
        with context.push(form=form, action=action, submit_label=submit_label):
            return form_template.render(context)
    key = (
        "community:blank-post-form:"
        + hashlib.md5(  # noqa: S324 - a cache key
            f"{translation.get_language()}\n{submit_label}\n{form_template.source}".encode(),
            usedforsecurity=False,
        ).hexdigest()
    )
    html = cache.get(key)
    if html is None:
        with context.push(
            form=type(form)(),
            action=ACTION_HOLE,
            submit_label=submit_label,
            csrf_token=CSRF_HOLE,
        ):
            html = str(form_template.render(context))
        cache.set(key, html, 3600)
    html = html.replace(CSRF_HOLE, conditional_escape(str(token)))
    html = html.replace(ACTION_HOLE, conditional_escape(str(action)))
    return mark_safe(html)  # noqa: S308 - our template, with escaped values put in
