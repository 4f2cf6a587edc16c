"""Admin forms of the catalogue: entries and providers as a provider editor sees
them, and the import upload."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .permissions import editable_provider_ids, edits_all_providers, entry_policy

MAX_UPLOAD = 20 * 1024 * 1024
OTHER_PROVIDER = _("You cannot edit entries of this provider.")


class MicroCredentialForm(WagtailAdminModelForm):
    """A provider editor chooses among their own providers only.

    A posted provider outside them (a forged form) fails like any other invalid
    choice, with a message that says why.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = editable_provider_ids(self.for_user) if self.for_user else None
        if ids is None:
            return
        if "provider" in self.fields:
            field = self.fields["provider"]
            field.queryset = field.queryset.filter(pk__in=ids)
            field.error_messages["invalid_choice"] = OTHER_PROVIDER
            if len(ids) == 1 and not self.instance.pk:
                self.initial.setdefault("provider", next(iter(ids)))
        if "stacks_into" in self.fields:
            # Other providers' drafts stay out of sight; public entries and the
            # ones already chosen remain choosable.
            field = self.fields["stacks_into"]
            chosen = [entry.pk for entry in self.instance.stacks_into.all()]
            field.queryset = field.queryset.filter(
                Q(live=True, status="published")
                | Q(provider_id__in=ids)
                | Q(pk__in=chosen)
            )


class _EditorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name()
        return f"{name} <{user.email}>" if name else user.email or user.get_username()


class ProviderForm(WagtailAdminModelForm):
    """Only people who edit every provider see and set who edits this one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "editors" not in self.fields:
            return
        if not (self.for_user and edits_all_providers(self.for_user)):
            del self.fields["editors"]
            return
        current = self.instance.editors.all() if self.instance.pk else []
        candidates = entry_policy.users_with_any_permission(["add", "change"])
        field = _EditorChoiceField(
            queryset=get_user_model()
            .objects.filter(
                Q(pk__in=candidates.values("pk"))
                | Q(pk__in=[user.pk for user in current]),
                is_superuser=False,
            )
            .order_by("email"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=self.fields["editors"].label,
            help_text=_(
                "People with catalogue permissions (for example in the Catalogue "
                "editors group) who edit this provider's entries and details. "
                "Staff edit every provider's entries already."
            ),
        )
        self.fields["editors"] = field


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
