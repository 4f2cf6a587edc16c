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
