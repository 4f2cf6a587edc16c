"""Published framework documents and their versions at /api/v1/frameworks.

The same rules as the public pages and the feed: live, public pages only, and
only documents a visitor could download; drafts never appear.
"""

from datetime import datetime

from django.http import Http404
from ninja import Router, Schema

from cms.api_schemas import Text, responses

from .managers import documents_visible_to
from .models import FrameworkPage

router = Router(tags=["frameworks"])


class VersionOut(Schema):
    number: str
    published_at: datetime
    change_summary: str
    url: str


class DownloadOut(Schema):
    title: str
    url: str
    file_type: str
    file_size: int | None


class FrameworkOut(Schema):
    slug: str
    title: str
    document_type: str
    summary: str
    version: str
    url: str
    tags: list[str]


class FrameworkDetailOut(FrameworkOut):
    versions: list[VersionOut]
    downloads: list[DownloadOut]


def _published():
    return (
        FrameworkPage.objects.visible_to(None)
        .prefetch_related("tagged_items__tag")
        .order_by("title")
    )


def _summary(page, request):
    return {
        "slug": page.slug,
        "title": page.title,
        "document_type": page.document_type,
        "summary": page.summary,
        "version": page.version,
        "url": page.get_full_url(request),
        "tags": [item.tag.name for item in page.tagged_items.all()],
    }


@router.get("/frameworks", response=responses(list[FrameworkOut], parameters=False))
def list_frameworks(request):
    """Every published framework, principles, guide and report document."""
    return [_summary(page, request) for page in _published()]


@router.get(
    "/frameworks/{slug}", response=responses(FrameworkDetailOut, not_found=True)
)
def get_framework(request, slug: Text):
    page = _published().filter(slug=slug).first()
    if page is None:
        raise Http404
    page_url = page.get_full_url(request)
    visible = set(
        documents_visible_to(None)
        .filter(pk__in=page.downloads.values("document_id"))
        .values_list("pk", flat=True)
    )
    downloads = [
        {
            "title": label,
            "url": request.build_absolute_uri(document.url),
            "file_type": document.file_extension.lower(),
            "file_size": document.get_file_size(),
        }
        for label, document in page.download_items()
        if document.pk in visible
    ]
    versions = [
        {
            "number": version.number,
            "published_at": version.published_at,
            "change_summary": version.change_summary,
            "url": page_url + f"v/{version.number}/",
        }
        for version in page.versions.order_by("-published_at")
    ]
    return {**_summary(page, request), "versions": versions, "downloads": downloads}
