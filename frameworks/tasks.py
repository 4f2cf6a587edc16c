"""Background work for framework documents."""

from django_tasks import task

from .models import FrameworkVersion


@task()
def generate_version_pdf_task(version_id):
    """(Re)generate a published version's PDF; see services.generate_version_pdf."""
    from . import services

    version = FrameworkVersion.objects.select_related("page").filter(pk=version_id)
    version = version.first()
    if version is not None:
        services.generate_version_pdf(version=version)
