"""Operations on framework documents that change several rows."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    Collection,
    GroupPagePermission,
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
    return version


def release_documents(*, page):
    """Move the page's downloads out of the drafts collection into the public one."""
    drafts = Collection.objects.filter(name=constants.DRAFTS_COLLECTION).first()
    public = Collection.objects.filter(name=constants.PUBLIC_COLLECTION).first()
    if drafts is None or public is None:
        return 0
    from wagtail.documents import get_document_model

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
