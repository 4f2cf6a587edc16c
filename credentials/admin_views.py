"""The catalogue import in the Wagtail admin: the upload page and each import's page.

An upload becomes an `ImportJob` run by a background task; its page shows the
progress (refreshed by static/js/import-job.js from the JSON status view) and
then the report.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .forms import ImportForm
from .models import ImportJob
from .permissions import entry_policy
from .services import ImportFailed, start_import_job

RECENT_JOBS = 10


def can_import(user):
    """Importing adds and changes entries: provider editors only for their own."""
    return entry_policy.user_has_permission(user, "add")


def import_view(request):
    if not can_import(request.user):
        raise PermissionDenied
    errors = []
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = start_import_job(
                    user=request.user, file_name=upload.name, content=upload.read()
                )
            except ImportFailed as exc:
                errors = exc.errors
                form.add_error("file", exc.message)
                status = 400
            else:
                return redirect(job.get_absolute_url())
        else:
            status = 400
    else:
        form = ImportForm()
    return TemplateResponse(
        request,
        "credentials/admin/import.html",
        {
            "form": form,
            "errors": errors,
            "jobs": ImportJob.objects.filter(user=request.user).defer("data", "errors")[
                :RECENT_JOBS
            ],
            "page_title": _("Import catalogue"),
        },
        status=status,
    )


def _job_for(request, pk, *fields):
    jobs = ImportJob.objects.visible_to(request.user)
    jobs = jobs.only(*fields) if fields else jobs.defer("data")
    return get_object_or_404(jobs, pk=pk)


@never_cache
def import_job_view(request, pk):
    job = _job_for(request, pk)
    return TemplateResponse(
        request,
        "credentials/admin/import_job.html",
        {"job": job, "page_title": _("Import of %(file)s") % {"file": job.file_name}},
    )


@never_cache
def import_job_status(request, pk):
    """The progress of one import as JSON, for the job page's script."""
    job = _job_for(
        request,
        pk,
        "user_id",
        "status",
        "rows_total",
        "rows_processed",
        "message",
    )
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "rows_total": job.rows_total,
            "rows_processed": job.rows_processed,
            "percent": job.percent,
            "saving": job.is_saving,
            "finished": job.is_finished,
            "message": job.message,
        }
    )
