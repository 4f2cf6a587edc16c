from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.static import serve

# Uploaded documents are only ever served through Wagtail's document view, which
# checks collection privacy; their files under MEDIA_URL must not be reachable.
PRIVATE_MEDIA_PREFIXES = ("documents/",)


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


def media(request, path):
    """Serve public uploads (images, renditions, video) when no proxy does."""
    if path.startswith(PRIVATE_MEDIA_PREFIXES) or ".." in path:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def api_not_found(request, path=""):
    """Any other URL under /api/: the API's own JSON 404 (not a page, and no
    redirect to the URL with a slash)."""
    return JsonResponse({"detail": "Not Found"}, status=404)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


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
        pages = (
            Page.objects.live()
            .public()
            .descendant_of(site.root_page, inclusive=True)
            .filter(depth__lte=site.root_page.depth + 2)
            .order_by("path")
        )
        nodes = {}
        for page in pages:
            node = {"page": page, "children": []}
            nodes[page.path] = node
            parent = nodes.get(page.path[: -Page.steplen])
            (parent["children"] if parent else tree).append(node)
    return render(request, "cms/site_map.html", {"tree": tree})
