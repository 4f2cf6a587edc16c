from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cms import languages

from .models import AVATAR_MAX_BYTES, Profile, Space

AVATAR_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_("Markdown: **bold**, *italic*, [link](https://…), @username."),
    )


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text=_("Markdown: **bold**, *italic*, [link](https://…), @username."),
    )


class FlagForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong with this post?"), max_length=500)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [
            "display_name",
            "organisation",
            "sector",
            "role",
            "bio",
            "avatar",
            "visibility",
            "email_preference",
            "language",
        ]
        labels = {"language": _("Language for emails")}
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "visibility": forms.RadioSelect,
            "email_preference": forms.RadioSelect,
            "language": forms.RadioSelect,
            "avatar": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
        }
        help_texts = {
            "avatar": _("A JPEG, PNG or WebP image of at most 1 MB."),
            "language": _(
                "Notifications, digests and invitations are written in this language."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language's name in that language, marked as such (WCAG 3.1.2).
        self.fields["language"].choices = [
            (code, format_html('<span lang="{}">{}</span>', code, name))
            for code, name in settings.LANGUAGES
        ]
        # Left unsent (an older form), it stays as it is.
        self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if not avatar or not hasattr(avatar, "content_type"):
            return avatar
        if avatar.size > AVATAR_MAX_BYTES:
            raise ValidationError(_("The image is larger than 1 MB."))
        image = getattr(avatar, "image", None)
        if image is None or image.format not in AVATAR_FORMATS:
            raise ValidationError(_("Upload a JPEG, PNG or WebP image."))
        return avatar


class MembershipRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Why would you like to join? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address to invite"))


class MoveThreadForm(forms.Form):
    space = forms.ModelChoiceField(
        label=_("Move to space"), queryset=Space.objects.all()
    )


class SuspendForm(forms.Form):
    days = forms.IntegerField(
        label=_("Suspend posting for (days, 0 lifts)"), min_value=0, max_value=3650
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_('Type "delete" to confirm'),
        max_length=20,
    )

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip().lower()
        if value != "delete":
            raise ValidationError(_('Type "delete" to confirm.'))
        return value


class EnrolSecondFactorForm(forms.Form):
    """The code an authenticator app shows for `secret`, and the account's
    password when this sign-in has not asked for it (a sign-in by code)."""

    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    def __init__(self, *args, user, secret, needs_password, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.secret = secret
        if not needs_password:
            del self.fields["password"]

    def clean(self):
        from allauth.mfa.base.internal.flows import check_rate_limit
        from allauth.mfa.totp.internal.auth import validate_totp_code

        cleaned = super().clean()
        if self.errors:
            return cleaned
        clear_rate_limit = check_rate_limit(self.user, error_key="rate_limited")
        if "password" in self.fields and not self.user.check_password(
            cleaned["password"]
        ):
            raise ValidationError(_("Incorrect password."), code="password")
        if not validate_totp_code(self.secret, cleaned["code"]):
            raise ValidationError(
                _("Incorrect code. Type the code your app shows now."), code="code"
            )
        clear_rate_limit()
        return cleaned


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up form asks besides email and password
    (ACCOUNT_SIGNUP_FORM_CLASS): the name other members see."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=120,
        help_text=_("How other members see you, for example your full name."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise ValidationError(_("Enter the name other members will see."))
        return name

    def signup(self, request, user):
        from .services import profile_for

        profile = profile_for(user)
        profile.display_name = self.cleaned_data["display_name"]
        # The language of the sign-up page: their emails are written in it.
        profile.language = languages.current()
        profile.save(update_fields=["display_name", "language"])
