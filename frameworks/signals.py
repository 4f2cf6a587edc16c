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


def connect():
    page_published.connect(
        on_framework_published, sender=FrameworkPage, dispatch_uid="fw_published"
    )
    post_save.connect(
        on_index_created, sender=FrameworkIndexPage, dispatch_uid="fw_index_created"
    )
    document_served.connect(on_document_served, dispatch_uid="fw_document_served")
