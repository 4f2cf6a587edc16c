import hashlib

from django import template
from django.template.loader import get_template
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from cms.cache import cached_fragment, restricted_paths

register = template.Library()

FORM_TEMPLATE = "includes/form.html"
# Stand in for the visitor's CSRF token and a member's name in the shared copy.
CSRF_HOLE = "csrf-token-of-this-request"
NAME_HOLE = "name-of-this-member"


@register.simple_tag(takes_context=True)
def registration_form(context, form, action, submit_label):
    """The registration form, as `{% include "includes/form.html" %}` renders it.

    A blank form is the same for every visitor but for the CSRF token and, for
    members, the name it is filled in with: it is rendered once per address,
    label, language and kind of visitor with stand-ins for those, shared until
    the next page change (`cached_fragment`), and each request puts its own in
    (escaped as the template would). Forms with errors, and forms on private
    pages (view restrictions), are rendered per request.
    """
    form_template = get_template(FORM_TEMPLATE).template
    token = context.get("csrf_token")
    user = context.get("user")
    member = user is not None and user.is_authenticated
    name = form["name"].value() if member else None
    page = context.get("page")
    if (
        form.is_bound
        or not token
        or token == "NOTPROVIDED"  # noqa: S105 - Django's marker, not a secret
        or (member and not name)
        or (page is not None and _is_private(page))
    ):
        with context.push(form=form, action=action, submit_label=submit_label):
            return form_template.render(context)

    def render_blank():
        blank = type(form)(user=user, event=form.event)
        if member:
            blank.fields["name"].initial = NAME_HOLE
        with context.push(
            form=blank, action=action, submit_label=submit_label, csrf_token=CSRF_HOLE
        ):
            return str(form_template.render(context))

    variant = hashlib.md5(  # noqa: S324 - a cache key, not security
        f"{translation.get_language()}\n{action}\n{submit_label}\n{member}".encode(),
        usedforsecurity=False,
    ).hexdigest()
    html = cached_fragment(f"events:blank-registration-form:{variant}", render_blank)
    html = html.replace(CSRF_HOLE, conditional_escape(str(token)))
    if member:
        html = html.replace(NAME_HOLE, conditional_escape(str(name)))
    return mark_safe(html)  # noqa: S308 - our template, with escaped values put in


def _is_private(page):
    return any(page.path.startswith(path) for path in restricted_paths())
