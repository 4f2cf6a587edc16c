"""Published framework documents and their versions at /api/v1/frameworks.

The same rules as the public pages and the feed: live, public pages only, and
only documents a visitor could download; drafts never appear.
"""

from datetime import datetime

from django.db.models import Case, When
from django.http import Http404
from ninja import Router, Schema
from wagtail.models import Locale

from cms.api_schemas import Text, responses

from .managers import documents_visible_to
from .models import FrameworkPage

router = Router(tags=["frameworks"])


class VersionOut(Schema):
    number: str
    published_at: datetime
    change_summary: str
    url: str
    pdf_url: str | None = None


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
    """Every published framework, principles, guide and report document, in
    the language asked for (`?lang=`, `Accept-Language`)."""
    return [
        _summary(page, request)
        for page in _published().filter(locale=Locale.get_active())
    ]


@router.get(
    "/frameworks/{slug}", response=responses(FrameworkDetailOut, not_found=True)
)
def get_framework(request, slug: Text):
    # The language asked for first: a translation may keep its source's slug.
    page = (
        _published()
        .filter(slug=slug)
        .order_by(Case(When(locale=Locale.get_active(), then=0), default=1))
        .first()
    )
    if page is None:
        raise Http404
    page_url = page.get_full_url(request)
    page_versions = list(page.versions.select_related("pdf").order_by("-published_at"))
    pdf_ids = [version.pdf_id for version in page_versions if version.pdf_id]
    visible = set(
        documents_visible_to(None)
        .filter(
            pk__in=[*page.downloads.values_list("document_id", flat=True), *pdf_ids]
        )
        .values_list("pk", flat=True)
    )
    offered = page.download_items()
    current = page_versions[0] if page_versions else None
    if current is not None and current.pdf is not None:
        # The current version's PDF, generated from its content, comes first.
        offered.insert(0, (f"{current.title} {current.number} (PDF)", current.pdf))
    downloads = [
        {
            "title": label,
            "url": request.build_absolute_uri(document.url),
            "file_type": document.file_extension.lower(),
            "file_size": document.get_file_size(),
        }
        for label, document in offered
        if document.pk in visible
    ]
    versions = [
        {
            "number": version.number,
            "published_at": version.published_at,
            "change_summary": version.change_summary,
            "url": page_url + f"v/{version.number}/",
            "pdf_url": request.build_absolute_uri(version.pdf.url)
            if version.pdf is not None and version.pdf_id in visible
            else None,
        }
        for version in page_versions
    ]
    return {**_summary(page, request), "versions": versions, "downloads": downloads}
