from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Registration


class RegistrationForm(forms.Form):
    """The registration form; members' name and email come from their account."""

    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("We send your confirmation and calendar file here."),
    )
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200, required=False
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("Choose a sector")), *Registration.Sector.choices],
        required=False,
    )
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    accommodations = forms.CharField(
        label=_("Accessibility accommodations"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tell us what would help you take part fully."),
    )
    dietary = forms.CharField(
        label=_("Dietary needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    privacy = forms.BooleanField(
        label=_(
            "I agree that the programme stores these details to run the event "
            "and contacts me about it."
        ),
        error_messages={
            "required": _("Please agree to the privacy notice to register.")
        },
    )

    def __init__(self, *args, user=None, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.event = event
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["role"].widget.attrs["autocomplete"] = "organization-title"
        if user is not None and user.is_authenticated:
            # A member registers as themselves: their verified account email.
            del self.fields["email"]
            self.fields["name"].initial = user.get_full_name() or user.get_username()


class AttendeeEmailForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea, max_length=10000)


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Confirmation code"), max_length=12)
