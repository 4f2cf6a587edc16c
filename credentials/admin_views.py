"""The catalogue import page in the Wagtail admin."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages

from .forms import ImportForm
from .permissions import editable_provider_ids, entry_policy
from .services import ImportFailed, import_credentials, parse_file


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
                rows = parse_file(upload.read(), upload.name)
                report = import_credentials(
                    rows=rows, provider_ids=editable_provider_ids(request.user)
                )
            except ImportFailed as exc:
                errors = exc.errors
                messages.error(request, exc.message)
                status = 400
            else:
                messages.success(request, report.message)
                return redirect("credentials_import")
        else:
            status = 400
    else:
        form = ImportForm()
    return TemplateResponse(
        request,
        "credentials/admin/import.html",
        {"form": form, "errors": errors, "page_title": _("Import catalogue")},
        status=status,
    )
