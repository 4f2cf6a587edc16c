"""The micro-credential catalogue: providers and their micro-credentials.

The fields follow the mandatory elements of the EU Council recommendation on
micro-credentials, 1EdTech Open Badges 3.0 and Credential Engine's CTDL, kept as
plain fields so that import, export, search and the API stay simple.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PublishingPanel,
)
from wagtail.models import (
    BaseLogEntry,
    DraftStateMixin,
    Orderable,
    Page,
    RevisionMixin,
)
from wagtail.search import index

from cms.models import BasePageMixin

from .managers import (
    CatalogueLogEntryManager,
    ImportJobQuerySet,
    MicroCredentialQuerySet,
    SkillList,
)


def slug_url_maker(name, build=None):
    """`slug -> reverse(name, kwargs={"slug": slug})`, reversing only once.

    For listings, which link every entry they show: reversing takes about
    25 µs a URL. A slug's characters (letters, digits, "-" and "_") need no
    quoting, so one slug put in place of another gives the same URL as
    reversing it. `build` turns the URL into another (e.g. absolute) first.
    """
    marker = "0-slug-0"
    url = reverse(name, kwargs={"slug": marker})
    prefix, suffix = (build(url) if build else url).split(marker)
    return lambda slug: f"{prefix}{slug}{suffix}"


class Provider(index.Indexed, models.Model):
    class Type(models.TextChoices):
        COLLEGE = "college", _("College")
        UNIVERSITY = "university", _("University")
        INDUSTRY_BODY = "industry", _("Industry body")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    provider_type = models.CharField(
        _("type"), max_length=20, choices=Type.choices, default=Type.COLLEGE
    )
    region = models.CharField(
        _("region"),
        max_length=100,
        blank=True,
        help_text=_("Where the provider is based, e.g. Ontario, Canada."),
    )
    website = models.URLField(_("website"), blank=True)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("provider editors"),
        blank=True,
        related_name="edited_providers",
        help_text=_(
            "Who edits this provider's entries in the admin. Staff edit every "
            "provider's entries whatever this says."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("provider_type"), FieldPanel("region")]),
        FieldPanel("website"),
        # Only people who may edit every provider see this field: see
        # credentials.forms.ProviderForm.
        FieldPanel("editors"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("provider_type"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        permissions = [
            (
                "edit_all_providers",
                _("Can edit every provider and its entries, and choose editors"),
            )
        ]

    def __str__(self):
        return self.name


class CatalogueLogEntry(BaseLogEntry):
    """The admin's audit log of catalogue entries and providers.

    Wagtail's `ModelLogEntry` with the provider whose editors may read the row;
    registered for `MicroCredential` and `Provider` in wagtail_hooks.py. Rows
    outlive their object (and its provider), as Wagtail's do.
    """

    object_id = models.CharField(max_length=255, db_index=True)
    provider = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    objects = CatalogueLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("catalogue log entry")
        verbose_name_plural = _("catalogue log entries")

    def __str__(self):
        return f"CatalogueLogEntry {self.pk}: {self.action} on {self.object_id}"


class TaggedMicroCredential(TaggedItemBase):
    content_object = ParentalKey(
        "credentials.MicroCredential",
        on_delete=models.CASCADE,
        related_name="tagged_items",
    )


# The EU Council recommendation's mandatory elements that a catalogue entry can
# state (the learner's name and the date of issue belong to the issued credential).
EU_ELEMENTS = [
    ("title", _("Title")),
    ("provider", _("Awarding body")),
    ("region", _("Country or region of the awarding body")),
    ("learning_outcomes", _("Learning outcomes")),
    ("workload_hours", _("Notional workload")),
    ("level", _("Level")),
    ("assessment", _("Type of assessment")),
    ("delivery_mode", _("Form of participation")),
    ("quality_assurance", _("Type of quality assurance")),
]


class MicroCredential(DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """One entry in the catalogue.

    An entry is public only when it is live (published in the admin) and its
    status is "published"; see `MicroCredentialQuerySet.visible_to`.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Level(models.TextChoices):
        INTRODUCTORY = "introductory", _("Introductory")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class DeliveryMode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        BILINGUAL = "en-fr", _("English and French")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="credentials",
    )
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_("The provider's own code; imports update entries by it."),
    )
    description = models.TextField(_("description"), blank=True)
    learning_outcomes = models.TextField(
        _("learning outcomes"), blank=True, help_text=_("One outcome per line.")
    )
    skills = ClusterTaggableManager(
        verbose_name=_("skills"), through=TaggedMicroCredential, blank=True
    )
    skill_list = SkillList()
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, blank=True
    )
    workload_hours = models.PositiveIntegerField(
        _("notional workload (hours)"), null=True, blank=True
    )
    duration_weeks = models.PositiveIntegerField(
        _("duration (weeks)"), null=True, blank=True
    )
    delivery_mode = models.CharField(
        _("delivery mode"), max_length=20, choices=DeliveryMode.choices, blank=True
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default="en"
    )
    cost_cad = models.DecimalField(
        _("cost (CAD)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("0 means free."),
    )
    osap_eligible = models.BooleanField(_("OSAP eligible"), default=False)
    assessment = models.TextField(_("form of assessment"), blank=True)
    quality_assurance = models.TextField(_("quality assurance"), blank=True)
    endorsements = models.TextField(
        _("industry partner endorsements"),
        blank=True,
        help_text=_("One partner per line."),
    )
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    stacks_into = ParentalManyToManyField(
        "self",
        verbose_name=_("stacks into"),
        symmetrical=False,
        blank=True,
        related_name="stacked_from",
    )
    pathway = models.CharField(
        _("pathway"),
        max_length=255,
        blank=True,
        help_text=_("A programme or pathway this credential counts towards."),
    )
    external_url = models.URLField(_("external URL"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    completeness = models.PositiveSmallIntegerField(
        _("completeness"), default=0, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MicroCredentialQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("provider"), FieldPanel("external_id")]),
        FieldPanel("description"),
        FieldPanel("learning_outcomes"),
        FieldPanel("skills"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("level"), FieldPanel("language")]),
                FieldRowPanel(
                    [FieldPanel("workload_hours"), FieldPanel("duration_weeks")]
                ),
                FieldRowPanel([FieldPanel("delivery_mode"), FieldPanel("cost_cad")]),
                FieldPanel("osap_eligible"),
            ],
            heading=_("Format"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("assessment"),
                FieldPanel("quality_assurance"),
                FieldPanel("endorsements"),
                FieldPanel("prerequisites"),
            ],
            heading=_("Recognition"),
        ),
        MultiFieldPanel(
            [FieldPanel("stacks_into"), FieldPanel("pathway")],
            heading=_("Stacking"),
        ),
        InlinePanel("start_dates", label=_("Next start dates")),
        FieldPanel("external_url"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("last_reviewed")]),
        PublishingPanel(),
    ]

    search_fields = [
        index.SearchField("title", boost=4),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.SearchField("learning_outcomes", boost=1.5),
        index.RelatedFields("skills", [index.SearchField("name", boost=2)]),
        index.RelatedFields("provider", [index.SearchField("name")]),
        index.FilterField("status"),
        index.FilterField("live"),
        index.FilterField("provider"),
        index.FilterField("delivery_mode"),
        index.FilterField("level"),
        index.FilterField("language"),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("micro-credential")
        verbose_name_plural = _("micro-credentials")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"],
                condition=~models.Q(external_id=""),
                name="credential_unique_external_id_per_provider",
            )
        ]
        indexes = [
            models.Index(fields=["live", "status"], name="credential_public_idx"),
            # Suggestions as you type match titles anywhere (icontains).
            GinIndex(
                OpClass(Upper("title"), name="gin_trgm_ops"),
                name="credential_title_trgm",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.completeness = self.compute_completeness()
        super().save(*args, **kwargs)
        # Tags are saved by ClusterableModel.save above, so the vector sees them.
        from .search import index_credentials

        index_credentials([self.pk])

    def get_absolute_url(self):
        return reverse("credentials:detail", kwargs={"slug": self.slug})

    def get_jsonld_url(self):
        return reverse("credentials:jsonld", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return self.live and self.status == self.Status.PUBLISHED

    @property
    def is_free(self):
        return not self.cost_cad

    @property
    def outcomes_list(self):
        return [
            line.strip() for line in self.learning_outcomes.splitlines() if line.strip()
        ]

    @property
    def endorsements_list(self):
        return [line.strip() for line in self.endorsements.splitlines() if line.strip()]

    def stated_elements(self):
        """Which EU mandatory elements this entry states, as (label, stated) pairs."""
        return [(label, self._states(name)) for name, label in EU_ELEMENTS]

    def _states(self, name):
        if name == "provider":
            return self.provider_id is not None
        if name == "region":
            return bool(self.provider_id and self.provider.region)
        value = getattr(self, name)
        return value is not None and value != ""

    def compute_completeness(self):
        """The number of EU mandatory elements stated (0 to len(EU_ELEMENTS))."""
        return sum(1 for _label, stated in self.stated_elements() if stated)

    @property
    def completeness_percent(self):
        return round(100 * self.completeness / len(EU_ELEMENTS))


class CredentialStartDate(Orderable):
    credential = ParentalKey(
        MicroCredential, on_delete=models.CASCADE, related_name="start_dates"
    )
    date = models.DateField(_("start date"))

    panels = [FieldPanel("date")]

    class Meta(Orderable.Meta):
        verbose_name = _("start date")
        ordering = ["date"]


class CredentialFacts(models.Model):
    """A narrow copy of what catalogue search reads: the facets and the text vector.

    An entry's row is long (descriptions, outcomes, assessment…), so matching a
    common word against it reads hundreds of megabytes at 100,000 entries. This
    table keeps only what the search matches, filters, counts and sorts on, about
    a tenth of the size, so the database engine reads it instead (on PostgreSQL;
    the SQLite demo searches the entries themselves).

    `credentials.search.refresh_facts` rebuilds rows from the entries; every
    save, import and generated catalogue calls it. Whether a row is public
    mirrors `MicroCredentialQuerySet.public`, and hits are always read back
    through `visible_to`, so a stale row can change a count, never leak an entry.
    """

    credential = models.OneToOneField(
        MicroCredential,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="facts",
    )
    public = models.BooleanField(default=False)
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    title = models.CharField(max_length=255)
    level = models.CharField(max_length=20, blank=True)
    delivery_mode = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=5, blank=True)
    duration_weeks = models.PositiveIntegerField(null=True)
    cost_cad = models.DecimalField(max_digits=8, decimal_places=2)
    osap_eligible = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    # Weighted: A title, B skills, C learning outcomes, D description.
    search_vector = SearchVectorField(null=True)
    skills = models.ManyToManyField(
        "taggit.Tag", through="CredentialFactsSkill", related_name="+"
    )

    class Meta:
        verbose_name = _("catalogue search row")
        indexes = [
            # One index per stemming (see CatalogueIndex.text_config_rows).
            GinIndex(
                fields=["search_vector"],
                name="credential_facts_gin_en",
                condition=~models.Q(language="fr"),
            ),
            GinIndex(
                fields=["search_vector"],
                name="credential_facts_gin_fr",
                condition=models.Q(language="fr"),
            ),
            models.Index(fields=["public", "created_at"], name="credential_facts_new"),
            # The facets of the rows anyone may find, without their text
            # vectors: counting them reads this index (about 7 MB at 100,000
            # entries), not the table (about 80 MB).
            models.Index(
                fields=["provider"],
                include=[
                    "credential",
                    "level",
                    "delivery_mode",
                    "language",
                    "duration_weeks",
                    "cost_cad",
                    "osap_eligible",
                ],
                condition=models.Q(public=True),
                name="credential_facts_facets",
            ),
        ]

    def __str__(self):
        return self.title


class CredentialFactsSkill(models.Model):
    """A skill of a catalogue search row (a copy of the entry's tags)."""

    # The unique constraint's index starts with this column.
    facts = models.ForeignKey(
        CredentialFacts, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="+")
    # The search row's `public`, copied (refresh_facts writes both at once), so
    # the skill facet of the whole catalogue is counted from this table alone.
    public = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["facts", "tag"], name="credential_facts_skill_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["tag"],
                condition=models.Q(public=True),
                name="credential_facts_skill_public",
            )
        ]


class CatalogueIndexPage(BasePageMixin, Page):
    """The catalogue's place in the site tree and menu; its intro heads /catalogue/.

    The list itself is served by `credentials.views.catalogue` at /catalogue/.
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [
        *Page.search_fields,
        *BasePageMixin.search_fields,
        index.SearchField("intro"),
    ]
    max_count = 1
    subpage_types = []

    class Meta:
        verbose_name = _("catalogue index page")

    def cache_tags(self):
        return ["catalogue"]

    def serve(self, request, *args, **kwargs):
        from .views import catalogue

        return catalogue(request)


class ImportJob(models.Model):
    """One catalogue file uploaded in the admin, imported by a background task.

    The file's text is kept until the task has run, then cleared; the job keeps
    the outcome (a message, or every row error) for the person who started it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.CASCADE,
        related_name="catalogue_import_jobs",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    data = models.TextField(_("file contents"), blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_processed = models.PositiveIntegerField(_("rows checked"), default=0)
    message = models.TextField(_("message"), blank=True)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")

    def __str__(self):
        return self.file_name

    @property
    def is_finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}

    # How long a job may wait for a worker, or run, before the page warns.
    STALLED_AFTER = datetime.timedelta(minutes=15)

    @property
    def is_stalled(self):
        """Queued or running for longer than any import takes: the task worker
        is probably not running, or stopped in the middle."""
        if self.is_finished:
            return False
        since = self.started_at or self.created_at
        return since is not None and timezone.now() - since > self.STALLED_AFTER

    @property
    def is_saving(self):
        """Every row is checked and the entries are being written (one transaction,
        so there is no row count to show for this stage)."""
        return (
            self.status == self.Status.RUNNING
            and self.rows_total > 0
            and self.rows_processed >= self.rows_total
        )

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_processed * 100 // self.rows_total)

    def get_absolute_url(self):
        return reverse("credentials_import_job", kwargs={"pk": self.pk})

    def get_status_url(self):
        return reverse("credentials_import_job_status", kwargs={"pk": self.pk})
