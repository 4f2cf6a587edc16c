import hashlib

from django import template
from django.template.loader import get_template
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from cms.cache import cached_fragment

register = template.Library()

FORM_TEMPLATE = "includes/form.html"
# Stands in for the visitor's CSRF token in the shared copy of the blank form.
CSRF_HOLE = "csrf-token-of-this-request"


@register.simple_tag(takes_context=True)
def registration_form(context, form, action, submit_label):
    """The registration form, as `{% include "includes/form.html" %}` renders it.

    The blank form that anonymous visitors get is the same for all of them but
    for its CSRF token: it is rendered once per address, label and language,
    shared until the next page change (`cached_fragment`), and each visitor's
    own token is put in. Filled-in forms (errors) and members' forms (their
    name) are rendered for the request and never shared.
    """
    form_template = get_template(FORM_TEMPLATE).template
    values = {"form": form, "action": action, "submit_label": submit_label}
    token = context.get("csrf_token")
    user = context.get("user")
    if (
        form.is_bound
        or (user is not None and user.is_authenticated)
        or not token
        or token == "NOTPROVIDED"  # noqa: S105 - Django's marker, not a secret
    ):
        with context.push(**values):
            return form_template.render(context)

    def render_blank():
        with context.push(**values, csrf_token=CSRF_HOLE):
            return str(form_template.render(context))

    variant = hashlib.md5(  # noqa: S324 - a cache key, not security
        f"{translation.get_language()}\n{action}\n{submit_label}".encode(),
        usedforsecurity=False,
    ).hexdigest()
    html = cached_fragment(f"events:blank-registration-form:{variant}", render_blank)
    return mark_safe(html.replace(CSRF_HOLE, conditional_escape(str(token))))  # noqa: S308
