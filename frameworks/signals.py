from django.db.models.signals import post_save
from wagtail.documents.models import document_served
from wagtail.signals import page_published

from . import services
from .models import FrameworkIndexPage, FrameworkPage


def on_framework_published(sender, instance, revision=None, **kwargs):
    services.record_version(page=instance, revision=revision)


def on_index_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.grant_page_access(index_page=instance)


def on_document_served(sender, instance, request=None, **kwargs):
    # One count per download: not HEAD requests, nor a PDF viewer's later range
    # requests for the rest of a file it is already showing.
    if request is None or request.method != "GET":
        return
    requested_range = request.headers.get("Range", "")
    if requested_range and not requested_range.replace(" ", "").startswith("bytes=0-"):
        return
    services.record_download(document=instance)


def on_consultation_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from . import consultation_services

        consultation_services.sync_clauses(consultation=instance)


def on_revision_saved(sender, instance, created, raw=False, **kwargs):
    # A new draft of a page under consultation: its clauses follow (new
    # revisions of changed clauses; comments stay on the text they were on).
    from django.contrib.contenttypes.models import ContentType

    if not created or raw:
        return
    if ContentType.objects.get_for_id(instance.content_type_id).model_class() is not (
        FrameworkPage
    ):
        return
    from . import consultation_services

    consultation_services.sync_open_consultations(
        page_id=instance.object_id, revision=instance
    )


def connect():
    from wagtail.models import Revision

    from .consultation_models import Consultation

    post_save.connect(
        on_consultation_saved, sender=Consultation, dispatch_uid="fw_consultation"
    )
    post_save.connect(on_revision_saved, sender=Revision, dispatch_uid="fw_revision")
    page_published.connect(
        on_framework_published, sender=FrameworkPage, dispatch_uid="fw_published"
    )
    post_save.connect(
        on_index_created, sender=FrameworkIndexPage, dispatch_uid="fw_index_created"
    )
    document_served.connect(on_document_served, dispatch_uid="fw_document_served")
