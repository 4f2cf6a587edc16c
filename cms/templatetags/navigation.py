from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.encoding import escape_uri_path
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar
from wagtail.models import Page, Site

from cms import fragments
from cms.permissions import may_access_admin, public_pages

register = template.Library()

# The menu is the same for everyone: kept until a page changes (cms.fragments).
# It lists public pages only, and a link kept a little too long opens nothing:
# each page checks its own restrictions.


def _menu(site, request):
    # Each language has its own menu: the children of its home page (the
    # site's root page's translation).
    language = translation.get_language()
    key = f"navigation:main-menu:{site.pk}:{language}:{fragments.version(request)}"
    menu = cache.get(key)
    if menu is None:
        root = site.root_page.localized
        menu = list(public_pages(root.get_children().live().in_menu()))
        cache.set(key, menu, fragments.TIMEOUT)
    return menu


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
    items = []
    for item in _menu(site, request):
        state = ""
        if current_path and current_path.startswith(item.path):
            state = "page" if current_path == item.path else "true"
        items.append((item, state))
    return items


@register.simple_tag(takes_context=True)
def canonical_url(context, page):
    """The address search engines and link previews should name for this view.

    A Wagtail page's absolute URL ("" for a page without one); for any other
    view (catalogue entries, search, account pages) the request's path on
    SITE_URL, without the query string. Never the address the request came
    in on (http://localhost/ behind a proxy). Unlike `page.full_url`, it
    builds a page's URL with the request, which keeps the sites' root paths
    for the rest of the request.
    """
    request = context.get("request")
    if not isinstance(page, Page):
        # None for a "not found" page (cms.views.page_not_found): a guessed
        # address is nobody's canonical one.
        if request is None or context.get("not_found"):
            return ""
        return absolute_url(escape_uri_path(request.path))
    parts = page.get_url_parts(request=request)
    if parts is None:
        return ""
    _site_id, root_url, page_path = parts
    if len({path.site_id for path in Site.get_site_root_paths()}) <= 1:
        # A single site answers at SITE_URL, whatever its Site row says (the
        # demo's is "localhost:80"). Several sites keep their own hostnames.
        return absolute_url(page_path)
    return root_url + page_path


@register.simple_tag
def absolute_url(path):
    """`path` on the site's public address (SITE_URL), for links that leave the site."""
    if path and path.startswith("/"):
        return settings.SITE_URL + path
    return path or ""


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """The ancestors of a page below the tree root, the site's home first."""
    if not isinstance(page, Page) or page.depth <= 2:
        return []
    return list(page.get_ancestors().filter(depth__gt=1).live())


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
