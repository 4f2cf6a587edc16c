"""Operations on framework documents that change several rows."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    GroupPagePermission,
    PageViewRestriction,
    Site,
    Workflow,
    WorkflowPage,
)

from . import constants
from .models import DocumentDownloadCount, FrameworkPage, FrameworkVersion


class FrameworkError(Exception):
    """A framework operation that cannot be done; `message` says why, for users."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def record_version(*, page, revision=None):
    """Keep the page's just-published content as its current version.

    A new version number adds a version (earlier ones stay at their URLs); the
    same number again is a correction of that version. The documents the page
    offers leave the drafts collection, so the public can download them.
    """
    if not page.version:
        raise FrameworkError(_("A published document needs a version number."))
    now = timezone.now()
    content = revision.content if revision is not None else page.serializable_data()
    with transaction.atomic():
        # Serialises concurrent publications of the same page.
        FrameworkPage.objects.select_for_update().filter(pk=page.pk).first()
        version, created = FrameworkVersion.objects.get_or_create(
            page=page,
            number=page.version,
            defaults={
                "title": page.title,
                "change_summary": page.change_summary,
                "published_at": now,
                "updated_at": now,
                "content": content,
                "text": "\n".join(page.text()),
                "revision": revision,
            },
        )
        if not created:
            version.title = page.title
            version.change_summary = page.change_summary
            version.updated_at = now
            version.content = content
            version.text = "\n".join(page.text())
            version.revision = revision
            version.save()
        release_documents(page=page)
        version_id = version.pk
        transaction.on_commit(lambda: _enqueue_pdf(version_id))
    return version


def _enqueue_pdf(version_id):
    from .tasks import generate_version_pdf_task

    generate_version_pdf_task.enqueue(version_id)


def stable_url(page, number):
    """The address a version is cited by, on the site's real address (SITE_URL)."""
    _site_id, _root_url, page_path = page.get_url_parts() or (None, None, None)
    if page_path is None:
        return ""
    path = page_path + page.reverse_subpage("version", kwargs={"number": number})
    return settings.SITE_URL + path


def generate_version_pdf(*, version):
    """Typeset the version's PDF from its own content and attach it to the version.

    Run each time a version is published (a correction under the same number
    replaces the file in place, so its address stays). The PDF lands in the
    public documents collection, or in the drafts collection if the page is
    behind a view restriction, so that Wagtail's document view keeps it as
    private as the page.
    """
    from cms.models import SiteSettings

    from .pdf import version_pdf

    page = version.page
    snapshot = page.with_content_json(version.content)
    site = page.get_site() or Site.objects.filter(is_default_site=True).first()
    author = ""
    if site is not None:
        author = SiteSettings.for_site(site).organisation_name
    data = version_pdf(
        page=snapshot,
        version=version,
        stable_url=stable_url(page, version.number),
        author=author or "Micro-certification",
    )
    private = any(
        restriction.restriction_type != PageViewRestriction.NONE
        for restriction in page.get_view_restrictions()
    )
    name = constants.DRAFTS_COLLECTION if private else constants.PUBLIC_COLLECTION
    collection = Collection.objects.filter(name=name).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=name)
    Document = get_document_model()
    filename = f"{page.slug}-{version.number}.pdf"
    title = f"{version.title} {version.number} (PDF)"
    with transaction.atomic():
        version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
        document = version.pdf
        if document is None:
            document = Document(title=title, collection=collection)
        else:
            document.title = title
            document.collection = collection
            document.file.delete(save=False)
        document.file.save(filename, ContentFile(data), save=False)
        document.file_size = len(data)
        document.save()
        if version.pdf_id != document.pk:
            version.pdf = document
            version.save(update_fields=["pdf"])
    return document


def release_documents(*, page):
    """Move the page's downloads out of the drafts collection into the public one."""
    drafts = Collection.objects.filter(name=constants.DRAFTS_COLLECTION).first()
    public = Collection.objects.filter(name=constants.PUBLIC_COLLECTION).first()
    if drafts is None or public is None:
        return 0
    ids = [download.document_id for download in page.downloads.all()]
    return (
        get_document_model()
        .objects.filter(pk__in=ids, collection=drafts)
        .update(collection=public)
    )


def record_download(*, document):
    """Count one download of the document; nothing about who downloaded it."""
    with transaction.atomic():
        counter, _created = DocumentDownloadCount.objects.get_or_create(
            document=document
        )
        DocumentDownloadCount.objects.filter(pk=counter.pk).update(
            count=F("count") + 1, last_downloaded_at=timezone.now()
        )


PAGE_PERMISSIONS = {
    constants.WORKING_GROUP: ["add_page", "change_page"],
    constants.COORDINATORS: [
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    ],
}


def grant_page_access(*, index_page):
    """Let the working group draft under the index page, and route it through review.

    Called when the frameworks index page is created, so that the groups (made by
    the data migration) get their page permissions and the "Framework review"
    workflow governs publishing without a manual set-up step.
    """
    with transaction.atomic():
        for group_name, codenames in PAGE_PERMISSIONS.items():
            group, _created = Group.objects.get_or_create(name=group_name)
            for permission in Permission.objects.filter(
                content_type__app_label="wagtailcore", codename__in=codenames
            ):
                GroupPagePermission.objects.get_or_create(
                    group=group, page=index_page, permission=permission
                )
        workflow = Workflow.objects.filter(name=constants.WORKFLOW).first()
        if workflow is not None:
            WorkflowPage.objects.get_or_create(
                page=index_page, defaults={"workflow": workflow}
            )
