"""Public consultation on a framework draft: clauses, comments and responses.

A consultation opens one draft of a framework document (the page's latest
revision, under a new version number) to the public between two dates. The
draft is cut into clauses (`frameworks.clauses`), each with a number that never
changes once given; members comment on a clause or on the whole draft; after
closing, the working group responds to each comment and publishes the
disposition. Who may see what is decided in `consultation_managers.py`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from .consultation_managers import (
    ClauseQuerySet,
    CommentQuerySet,
    ConsultationQuerySet,
)

REPLACEMENT_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 5000


class Consultation(ClusterableModel):
    """One draft of one framework document, open for comments between two dates."""

    page = models.ForeignKey(
        "frameworks.FrameworkPage",
        on_delete=models.CASCADE,
        related_name="consultations",
        verbose_name=_("framework document"),
    )
    version = models.CharField(
        _("draft version"),
        max_length=20,
        help_text=_("The number the draft will have once adopted, e.g. 1.1."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("What the draft is, who should comment and how comments are used."),
    )
    next_version = models.ForeignKey(
        "frameworks.FrameworkVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
        verbose_name=_("adopted version"),
        help_text=_("The published version that answers this consultation."),
    )
    disposition_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ConsultationQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("page"), FieldPanel("version")], heading=_("Draft")
        ),
        MultiFieldPanel(
            [FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Dates")
        ),
        FieldPanel("introduction"),
        InlinePanel("questions", label=_("Questions")),
        FieldPanel("next_version"),
    ]

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("consultation")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "version"], name="one_consultation_per_draft"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            ),
        ]

    def __str__(self):
        return f"{self.page.title} {self.version}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The consultation must close after it opens.")}
            )
        if (
            self.page_id
            and self.version
            and self.page.versions.filter(number=self.version).exists()
        ):
            raise ValidationError(
                {
                    "version": _(
                        "Version %(number)s is already published: consult on a "
                        "draft with a new number."
                    )
                    % {"number": self.version}
                }
            )

    def state(self, now=None):
        """ "upcoming", "open" or "closed"."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now < self.closes_at:
            return "open"
        return "closed"

    @property
    def is_open(self):
        return self.state() == "open"

    @property
    def is_closed(self):
        return self.state() == "closed"

    @property
    def disposition_published(self):
        return self.disposition_published_at is not None

    def get_url(self, request=None):
        """The consultation's stable address: /frameworks/<slug>/consultation/<n>/.

        Routed by FrameworkPage.route to consultation_views.serve. Shown
        through a translation of the page (`shown_page`, /fr/…), the address
        is that translation's.
        """
        page = getattr(self, "shown_page", None) or self.page
        return page.get_url(request) + f"consultation/{self.version}/"

    def get_url_in(self, language):
        """The address in this language ("en", "fr"): through the page's live
        translation in it when there is one, else the page's own."""
        from django.utils import translation

        page = self.page
        if language != page.locale.language_code:
            page = (
                page.get_translations()
                .live()
                .filter(locale__language_code=language)
                .first()
            ) or page
        with translation.override(language):
            return page.get_url() + f"consultation/{self.version}/"

    def get_absolute_url(self):
        return self.get_url()


class ConsultationQuestion(Orderable):
    consultation = ParentalKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("question"), max_length=500)

    panels = [FieldPanel("text")]

    def __str__(self):
        return self.text


class Clause(models.Model):
    """One revision of one clause of a consultation's draft.

    `key` identifies the clause across edits of the draft (its StreamField
    block's id, and for a paragraph, list item or table row inside a block, a
    key kept by aligning the block's old and new items); `number` ("4.2") is
    given once and never changes or is reused. Editing a clause's text adds a
    revision: comments stay on the revision they were made on.
    """

    class Kind(models.TextChoices):
        HEADING = "heading", _("Heading")
        PARAGRAPH = "paragraph", _("Paragraph")
        LIST_ITEM = "item", _("List item")
        TABLE_ROW = "row", _("Table row")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="clauses"
    )
    key = models.CharField(max_length=120)
    number = models.CharField(max_length=20)
    revision = models.PositiveIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    level = models.CharField(max_length=2, blank=True)
    text = models.TextField()
    is_current = models.BooleanField(default=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    # Made after the consultation closed: the working group's change toward
    # the next version, not part of the draft that was commented on.
    for_next_version = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ClauseQuerySet.as_manager()

    class Meta:
        ordering = ["position", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "key", "revision"], name="one_clause_revision"
            ),
        ]
        indexes = [models.Index(fields=["consultation", "is_current", "position"])]

    def __str__(self):
        return f"{self.number}: {self.text[:60]}"

    @property
    def anchor(self):
        return f"c-{self.number}"


class CommentType(models.TextChoices):
    SUPPORT = "support", _("Support")
    CONCERN = "concern", _("Concern")
    CHANGE = "change", _("Proposed change")


class OrganisationType(models.TextChoices):
    INSTITUTION = "institution", _("College or university")
    EMPLOYER = "employer", _("Employer or industry")
    GOVERNMENT = "government", _("Government or agency")
    ASSOCIATION = "association", _("Association or standards body")
    COMMUNITY = "community", _("Community organisation")
    INDIVIDUAL = "individual", _("Individual")


class Comment(models.Model):
    """A member's comment on one clause (as it read then) or on the whole draft."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Held for moderation")
        HIDDEN = "hidden", _("Hidden by a moderator")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    clause = models.ForeignKey(
        Clause,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
        help_text=_("Empty for a comment on the whole draft."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="consultation_comments",
    )
    # The commenter's affiliation when they commented: a public record.
    author_name = models.CharField(max_length=120)
    organisation = models.CharField(_("organisation"), max_length=200)
    organisation_type = models.CharField(
        _("type of organisation"), max_length=20, choices=OrganisationType.choices
    )
    role = models.CharField(_("role"), max_length=120)
    type = models.CharField(_("type"), max_length=10, choices=CommentType.choices)
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    replacement = models.TextField(
        _("proposed text"), blank=True, max_length=REPLACEMENT_MAX_LENGTH
    )
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # The language of the pages the member commented from: the emails about
    # the comment are written in it (and link to that language's pages).
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        editable=False,
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("consultation comment")

    def __str__(self):
        where = self.clause.number if self.clause_id else _("whole draft")
        return f"{self.consultation} · {where} · {self.get_type_display()}"

    @property
    def anchor(self):
        return f"comment-{self.pk}"

    def answer_items(self):
        """(question, answer) for the questions this comment answers."""
        questions = {str(q.pk): q.text for q in self.consultation.questions.all()}
        return [
            (questions[key], value)
            for key, value in self.answers.items()
            if key in questions and value
        ]


class Response(models.Model):
    """The working group's answer to one comment, after the consultation closed."""

    class Disposition(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY = "partly", _("Accepted in part")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, related_name="response"
    )
    disposition = models.CharField(
        _("decision"), max_length=15, choices=Disposition.choices
    )
    reason = models.TextField(_("reason"), max_length=2000)
    change = models.TextField(
        _("change made"),
        blank=True,
        max_length=REPLACEMENT_MAX_LENGTH,
        help_text=_("The clause's text in the next version, if it changed."),
    )
    changed_clause = models.ForeignKey(
        Clause,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
        verbose_name=_("clause changed"),
        help_text=_("The clause's revision in the next version that this led to."),
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("response to a comment")

    def __str__(self):
        return self.get_disposition_display()
