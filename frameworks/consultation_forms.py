"""Forms of the consultation pages: comment, filter, respond, publish."""

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .consultation_models import (
    COMMENT_MAX_LENGTH,
    REPLACEMENT_MAX_LENGTH,
    CommentType,
    OrganisationType,
    Response,
)


class CommentFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Type of comment"),
        required=False,
        choices=[("", _("All types")), *CommentType.choices],
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        required=False,
        choices=[("", _("All organisations")), *OrganisationType.choices],
    )

    def filters(self):
        """{field: value} for the chosen filters; none when the form is invalid."""
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class CommentForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Your comment is"),
        choices=CommentType.choices,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown is allowed; links are shown as plain links."),
    )
    replacement = forms.CharField(
        label=_("Proposed text"),
        required=False,
        max_length=REPLACEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a proposed change: the text you would put in the clause."),
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.text,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self):
        data = super().clean()
        if (
            data.get("type") == CommentType.CHANGE
            and not (data.get("replacement") or "").strip()
        ):
            self.add_error(
                "replacement", _("Write the text you propose for the clause.")
            )
        return data

    def answers(self):
        return {
            str(q.pk): self.cleaned_data.get(f"answer_{q.pk}", "")
            for q in self.questions
        }


class NewCommentForm(CommentForm):
    """Asks the organisation and role once: later comments start with them."""

    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[("", _("Choose…")), *OrganisationType.choices],
    )
    role = forms.CharField(label=_("Your role"), max_length=120)


class ResponseForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("Decision"), choices=Response.Disposition.choices
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    change = forms.CharField(
        label=_("Change made"),
        required=False,
        max_length=REPLACEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The clause's text in the next version, if it changed."),
    )
    changed_clause = forms.ChoiceField(
        label=_("Clause changed in the next version"),
        required=False,
        help_text=_(
            "The revised clause this comment led to: the version comparison "
            "shows the comment beside it."
        ),
    )

    def __init__(self, *args, clauses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.clauses = {str(clause.pk): clause for clause in clauses}
        self.fields["changed_clause"].choices = [
            ("", _("None")),
            *(
                (
                    pk,
                    _("%(number)s (revision %(revision)s): %(text)s")
                    % {
                        "number": clause.number,
                        "revision": clause.revision,
                        "text": Truncator(clause.text).chars(80),
                    },
                )
                for pk, clause in self.clauses.items()
            ),
        ]
        if not self.clauses:
            # Nothing was revised after closing yet: nothing to choose.
            self.fields["changed_clause"].widget = forms.HiddenInput()

    def clean_changed_clause(self):
        return self.clauses.get(self.cleaned_data.get("changed_clause") or "")


class PublishForm(forms.Form):
    next_version = forms.ChoiceField(
        label=_("Version that answers the consultation"), required=False
    )

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {str(v.pk): v for v in versions}
        self.fields["next_version"].choices = [
            ("", _("Not published yet")),
            *((pk, v.number) for pk, v in self.versions.items()),
        ]

    def version(self):
        return self.versions.get(self.cleaned_data.get("next_version") or "")
