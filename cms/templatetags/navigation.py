from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar
from wagtail.models import Page, Site

from cms.cache import (
    breadcrumbs_fragment_name,
    cached_fragment,
    footer_fragment_name,
)
from cms.permissions import may_access_admin

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Top-level pages shown in the menu, each with whether it is the current one.

    Returns (page, current) pairs: current is "page" for the page being viewed,
    "true" for a section that contains it, and "" otherwise.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else None
    # The same for every visitor; shared until the next publish, move or delete.
    menu = cached_fragment(
        f"main-menu:{site.pk}",
        lambda: list(site.root_page.get_children().live().public().in_menu()),
    )
    items = []
    for item in menu:
        state = ""
        if current_path and current_path.startswith(item.path):
            state = "page" if current_path == item.path else "true"
        items.append((item, state))
    return items


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The footer (includes/footer.html): the same on every page of a site in
    a language, for members too, so rendered once and shared until the next
    page or settings change (SiteMiddleware reads it with the other fragments
    of the page frame). It shows the site settings and nothing of the visitor.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None

    def render():
        return render_to_string("includes/footer.html", request=request)

    if site is None:
        return render()
    # Our template's output, kept as a plain string.
    return mark_safe(cached_fragment(footer_fragment_name(site.pk), render))  # noqa: S308


@register.simple_tag(takes_context=True)
def canonical_url(context, page):
    """A Wagtail page's absolute URL, "" for anything else or a page without one.

    Unlike `page.full_url`, it builds the URL with the request, which already
    holds the sites' root paths (cms.middleware.SiteMiddleware).
    """
    if not isinstance(page, Page):
        return ""
    return page.get_full_url(request=context.get("request")) or ""


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """The ancestors of a page below the tree root, the site's home first."""
    if not isinstance(page, Page) or page.depth <= 2:
        return []

    def ancestors():
        return list(page.get_ancestors().filter(depth__gt=1).live())

    if page.pk is None:  # the preview of a page not saved yet
        return ancestors()
    # Titles and the tree change only by publishing, moving or deleting pages,
    # which replace every fragment.
    return cached_fragment(breadcrumbs_fragment_name(page.url_path), ancestors)


@register.simple_tag(takes_context=True)
def editor_userbar(context, position="bottom-right"):
    """Wagtail's user bar, only for people who may use the admin.

    Wagtail's own tag asks for the visitor's permissions on every page; for the
    members who cannot edit, that is a query or two for nothing.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not may_access_admin(user):
        return ""
    return wagtailuserbar(context, position)
