"""The catalogue import page in the Wagtail admin."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages

from .services import ImportFailed, import_credentials, parse_file

MAX_UPLOAD = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or JSON file"),
        help_text=_(
            "Columns: provider, external_id and title are required; see the "
            "catalogue section of the README for the others. All rows are "
            "imported, or none."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".json")):
            raise forms.ValidationError(_("Upload a .csv or .json file."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


def import_view(request):
    if not request.user.has_perm("credentials.add_microcredential"):
        raise PermissionDenied
    errors = []
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = parse_file(upload.read(), upload.name)
                report = import_credentials(rows=rows)
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
