from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.static import serve
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as serve_document_file

# The only upload folders `/media/` serves: Wagtail's images and renditions and
# wagtailmedia's files and thumbnails. Documents and avatars are not even stored
# under MEDIA_ROOT (cms/storage.py); they leave through views that check privacy.
PUBLIC_MEDIA_FOLDERS = ("images", "original_images", "media", "media_thumbnails")


@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /accounts/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def public_media_path(path):
    """`path` if it names a file in a public upload folder, spelled plainly.

    The path is split before any decision, so `//`, `./`, `..`, a backslash
    or a decoded `%2e`/`%2f` cannot make a private folder look like another
    one; anything but the plain spelling of a public file gives None.
    """
    parts = path.replace("\\", "/").split("/")
    if any(part in ("", ".", "..") for part in parts) or len(parts) < 2:
        return None
    if parts[0] not in PUBLIC_MEDIA_FOLDERS or "/".join(parts) != path:
        return None
    return path


def media(request, path):
    """Serve public uploads (images, renditions, video) when no proxy does."""
    public_path = public_media_path(path)
    if public_path is None:
        raise Http404
    return serve(request, public_path, document_root=settings.MEDIA_ROOT)


def serve_document(request, document_id, document_filename):
    """Wagtail's document view, with the privacy check before the name check.

    Wagtail compares the file name first (a wrong name is a 404) and checks
    the collection's view restrictions after, so a visitor who may not see a
    document could still confirm its name. Here they get the same answer
    (a sign-in redirect or the password form) whatever the name.
    """
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is not None:
        for hook in hooks.get_hooks("before_serve_document"):
            result = hook(document, request)
            if isinstance(result, HttpResponse):
                return result
    return serve_document_file(request, document_id, document_filename)


def api_not_found(request, path=""):
    """Any other URL under /api/: the API's own JSON 404 (not a page, and no
    redirect to the URL with a slash)."""
    from .api_language import NOT_FOUND

    return JsonResponse({"detail": str(NOT_FOUND)}, status=404)


def page_not_found(request, exception=None):
    # `not_found` tells the head and the language switcher not to name the
    # address asked for (cms/templatetags: canonical_url, language_versions).
    return render(request, "404.html", {"not_found": True}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def site_map(request):
    """A human-readable site map: every live public page, as the tree they form.

    Pages behind a view restriction are left out for everyone, as in the XML
    sitemap; the list costs one query whatever the site's size.
    """
    from wagtail.models import Page, Site

    site = Site.find_for_request(request)
    tree = []
    if site is not None:
        # The tree of the address's language (its translation of the root).
        root = site.root_page.localized
        pages = (
            Page.objects.live()
            .public()
            .descendant_of(root, inclusive=True)
            .filter(depth__lte=root.depth + 2)
            .order_by("path")
        )
        nodes = {}
        for page in pages:
            node = {"page": page, "children": []}
            nodes[page.path] = node
            parent = nodes.get(page.path[: -Page.steplen])
            (parent["children"] if parent else tree).append(node)
    return render(request, "cms/site_map.html", {"tree": tree})
