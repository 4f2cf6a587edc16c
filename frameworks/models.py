"""Framework, principles and guidance documents, their versions and downloads."""

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from cms.fields import StreamField
from cms.models import BasePageMixin, IndexPageMixin

from .blocks import FrameworkStreamBlock
from .managers import FrameworkPageManager, FrameworkVersionQuerySet
from .text import body_text, compare, table_of_contents


class DocumentType(models.TextChoices):
    FRAMEWORK = "framework", _("Framework")
    PRINCIPLES = "principles", _("Principles")
    GUIDE = "guide", _("Guide")
    REPORT = "report", _("Report")


class FrameworkFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *DocumentType.choices],
    )
    tag = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [
            ("", _("All topics")),
            *((tag.slug, tag.name) for tag in tags),
        ]


class FrameworkIndexPage(RoutablePageMixin, IndexPageMixin, Page):
    """/frameworks/: the published documents, newest first, with filters and a feed."""

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["frameworks.FrameworkPage"]
    max_count = 1
    template = "frameworks/framework_index_page.html"

    class Meta:
        verbose_name = _("framework index page")

    def documents(self, user=None, *, document_type="", tag=""):
        """The published documents under this page, newest version first.

        Costs one query for the pages and one for their tags, however many.
        """
        latest = FrameworkVersion.objects.filter(page=OuterRef("pk")).order_by(
            "-published_at"
        )
        queryset = (
            FrameworkPage.objects.child_of(self)
            .visible_to(user)
            .annotate(version_date=Subquery(latest.values("published_at")[:1]))
            .select_related("social_image")
            .prefetch_related("tagged_items__tag", "social_image__renditions")
            .order_by(models.F("version_date").desc(nulls_last=True), "-pk")
        )
        if document_type:
            queryset = queryset.filter(document_type=document_type)
        if tag:
            queryset = queryset.filter(tagged_items__tag__slug=tag)
        return queryset

    def topics(self, user=None):
        """Tags used by the published documents, for the topic filter."""
        pages = FrameworkPage.objects.child_of(self).visible_to(user)
        return (
            Tag.objects.filter(
                frameworks_frameworkpagetag_items__content_object__in=pages
            )
            .distinct()
            .order_by("name")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = FrameworkFilterForm(request.GET, tags=self.topics(request.user))
        filters = form.cleaned_data if form.is_valid() else {}
        context["filter_form"] = form
        context["documents"] = self.documents(
            request.user,
            document_type=filters.get("type", ""),
            tag=filters.get("tag", ""),
        )
        context["filtered"] = bool(filters.get("type") or filters.get("tag"))
        context["consultations"] = self.consultations(request.user)
        return context

    def consultations(self, user=None):
        """The consultations on drafts under this page that are open now."""
        return list(
            Consultation.objects.visible_to(user)
            .open()
            .filter(page__path__startswith=self.path, page__depth=self.depth + 1)
            .select_related("page")
            .order_by("closes_at")
        )

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            target = self._renamed_document_url(request, path_components)
            if target is None:
                raise
            return RouteResult(self, args=(_redirect_to, (target,), {}))

    def _renamed_document_url(self, request, path_components):
        """Where a document's old address (or an old version's) lives now.

        Wagtail records a redirect when a page's slug changes, but only for the
        page's own address; citations of /<old-slug>/v/1.0/ must keep working too.
        """
        from wagtail.contrib.redirects.models import Redirect

        if not path_components:
            return None
        old_path = Redirect.normalise_path(
            self.get_url(request) + path_components[0] + "/"
        )
        redirect = (
            Redirect.get_for_site(self.get_site())
            .filter(old_path=old_path, redirect_page__isnull=False)
            .select_related("redirect_page")
            .first()
        )
        if redirect is None or redirect.redirect_page.get_parent().pk != self.pk:
            return None
        rest = "".join(f"{part}/" for part in path_components[1:])
        return redirect.redirect_page.get_url(request) + rest

    @path("")
    def index_route(self, request):
        response = self.render(request)
        if request.GET and not response.context_data["filter_form"].is_valid():
            response.status_code = 400
        return response

    @path("feed/")
    def feed(self, request):
        from .feeds import FrameworkFeed

        return FrameworkFeed(self)(request)


def _redirect_to(request, url):
    return HttpResponsePermanentRedirect(url)


class FrameworkPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "FrameworkPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class FrameworkDownload(Orderable):
    """A file (PDF, DOCX…) offered with one version of a framework document."""

    page = ParentalKey(
        "FrameworkPage", on_delete=models.CASCADE, related_name="downloads"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Shown as the link text; the document's title if empty."),
    )

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("download")


version_number_validator = RegexValidator(
    r"^[0-9]{1,3}(\.[0-9]{1,3}){0,2}$",
    _("Enter a version number such as 1.0 or 2.1.3."),
)


class FrameworkPage(RoutablePageMixin, BasePageMixin, Page):
    """A framework, principles, guide or report, readable online and downloadable.

    Each publication records a FrameworkVersion (see services.record_version),
    which keeps that version's content at its own URL: /<page>/v/<number>/.
    """

    document_type = models.CharField(
        _("type"),
        max_length=20,
        choices=DocumentType.choices,
        default=DocumentType.FRAMEWORK,
    )
    version = models.CharField(
        _("version"),
        max_length=20,
        default="1.0",
        validators=[version_number_validator],
        help_text=_(
            "Give a new number for a new version; the earlier version stays "
            "online at its own address. Keep the number to correct a typo."
        ),
    )
    change_summary = models.TextField(
        _("what changed"),
        blank=True,
        max_length=1000,
        help_text=_("What is new in this version, for readers and the feed."),
    )
    body = StreamField(FrameworkStreamBlock(), blank=True)
    tags = ClusterTaggableManager(
        through=FrameworkPageTag, blank=True, verbose_name=_("topics")
    )

    objects = FrameworkPageManager()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("document_type"),
                FieldPanel("version"),
                FieldPanel("change_summary"),
                FieldPanel("tags"),
            ],
            heading=_("About this document"),
        ),
        FieldPanel("body"),
        InlinePanel("downloads", label=_("Downloads")),
    ]
    promote_panels = BasePageMixin.promote_panels
    search_fields = [
        *Page.search_fields,
        *BasePageMixin.search_fields,
        index.SearchField("change_summary"),
        index.SearchField("body"),
        index.FilterField("document_type"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    parent_page_types = ["frameworks.FrameworkIndexPage"]
    subpage_types = []
    template = "frameworks/framework_page.html"
    search_kind = _("Framework")

    class Meta:
        verbose_name = _("framework document")

    def route(self, request, path_components):
        # …/consultation/…: the consultation on this page's draft, whether or
        # not the page is live (Wagtail's view restriction checks still run).
        if path_components and path_components[0] == "consultation":
            from . import consultation_views

            view_args = (self, path_components[1:])
            return RouteResult(self, args=(consultation_views.serve, view_args, {}))
        return super().route(request, path_components)

    def get_view_restrictions(self):
        # Kept for the rest of this request (this page object): the
        # consultation views ask again after Wagtail's check (one query less).
        restrictions = super().get_view_restrictions()
        self.__dict__["_view_restrictions_served"] = restrictions
        return restrictions

    @property
    def table_of_contents(self):
        return table_of_contents(self.body)

    def text(self):
        """The plain text compared between versions."""
        return [self.title, *body_text(self.body)]

    def download_items(self):
        """The downloads whose documents still exist, each with its document."""
        from wagtail.documents import get_document_model

        downloads = self.downloads.all()
        if isinstance(downloads, models.QuerySet):
            # The published page: downloads and documents in one query (the
            # foreign key cascades, so every row has its document).
            pairs = [(d, d.document) for d in downloads.select_related("document")]
        else:
            # A version's snapshot: its documents may have been deleted since.
            downloads = list(downloads)
            documents = get_document_model().objects.in_bulk(
                [download.document_id for download in downloads]
            )
            pairs = [(d, documents.get(d.document_id)) for d in downloads]
        return [
            (download.label or document.title, document)
            for download, document in pairs
            if document is not None
        ]

    def version_url(self, number, request=None):
        return self.get_url(request) + self.reverse_subpage(
            "version", kwargs={"number": number}
        )

    def _versions_and_downloads(self, request):
        """The published versions (newest first) and the downloads."""
        # The list shows numbers, dates and summaries: not each version's
        # snapshot of the whole page and its text, the largest columns.
        # The draft whose consultation this version answers (its disposition
        # published), in the same query: the version list cites it.
        answered = Consultation.objects.filter(
            next_version=OuterRef("pk"), disposition_published_at__isnull=False
        ).values("version")[:1]
        versions = (
            self.versions.defer("content", "text")
            .select_related("pdf")
            .annotate(consulted_as=Subquery(answered))
            .order_by("-published_at")
        )
        return list(versions), self.download_items()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        versions, downloads = self._versions_and_downloads(request)
        for version in versions:
            # Built with the request, which holds the sites' root paths.
            version.url = self.version_url(version.number, request)
        context.setdefault("shown_version", versions[0] if versions else None)
        context["versions"] = versions
        context["latest_version"] = versions[0] if versions else None
        context["downloads"] = downloads
        return context

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        for version in self.versions.order_by("published_at"):
            urls.append(
                {
                    "location": self.get_full_url(request)
                    + self.reverse_subpage(
                        "version", kwargs={"number": version.number}
                    ),
                    "lastmod": version.updated_at,
                }
            )
        return urls

    @re_path(r"^v/(?P<number>[0-9.]{1,20})/$", name="version")
    def version_route(self, request, number):
        version = self.versions.filter(number=number).select_related("pdf").first()
        if version is None:
            raise Http404
        version.url = self.version_url(number, request)
        snapshot = self.with_content_json(version.content)
        return snapshot.render(
            request,
            context_overrides={"shown_version": version, "is_version_page": True},
        )

    @path("pdf/", name="pdf")
    def pdf_route(self, request):
        """The current version's PDF: a stable link for "download the framework"."""
        version = (
            self.versions.filter(pdf__isnull=False)
            .select_related("pdf")
            .order_by("-published_at")
            .first()
        )
        if version is None:
            raise Http404
        return HttpResponseRedirect(version.pdf.url)

    def _comments_behind(self, rows, version, request):
        """Beside each changed clause, the comments that led to it: those
        whose response names the clause's revision, in consultations that
        this version answers (disposition published). One query."""
        from .text import same_text

        comments = (
            Comment.objects.filter(
                status=Comment.Status.PUBLISHED,
                consultation__next_version=version,
                consultation__disposition_published_at__isnull=False,
                response__changed_clause__isnull=False,
            )
            .select_related("response__changed_clause", "consultation")
            .order_by("created_at", "pk")
        )
        by_text = {}
        for comment in comments:
            comment.consultation.page = self
            comment.url = (
                comment.consultation.get_url(request) + f"disposition/#{comment.anchor}"
            )
            clause = comment.response.changed_clause
            by_text.setdefault(same_text(clause.text), (clause, []))[1].append(comment)
        for row in rows:
            if "text" in row and same_text(row["text"]) in by_text:
                row["clause"], row["comments"] = by_text[same_text(row["text"])]

    @path("compare/", name="compare")
    def compare_route(self, request):
        versions = list(self.versions.order_by("-published_at"))
        by_number = {version.number: version for version in versions}
        error = ""
        old = new = None
        if len(versions) >= 2:
            new = by_number.get(request.GET.get("to", versions[0].number))
            # By default, the version published just before the new one.
            earlier = [v for v in versions if new and v.published_at < new.published_at]
            default = earlier[0] if earlier else versions[1]
            old = by_number.get(request.GET.get("from", default.number))
            if old is None or new is None:
                error = _("Choose two versions of this document to compare.")
            elif old == new:
                error = _("Choose two different versions to compare.")
        else:
            error = _("This document has only one version so far.")
        rows = [] if error else compare(old.text.splitlines(), new.text.splitlines())
        if rows:
            self._comments_behind(rows, new, request)
        response = self.render(
            request,
            template="frameworks/framework_compare.html",
            context_overrides={
                "old": old,
                "new": new,
                "rows": rows,
                "error": error,
                "versions": versions,
            },
        )
        if error and request.GET:
            response.status_code = 400
        return response


class FrameworkVersion(models.Model):
    """One published version of a framework document, kept for citation.

    `content` is the page's content as published (a Wagtail revision's JSON), so
    the version can be shown as it was even after later versions replace it.
    """

    page = models.ForeignKey(
        FrameworkPage, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.CharField(max_length=20, validators=[version_number_validator])
    title = models.CharField(max_length=255)
    change_summary = models.TextField(blank=True)
    published_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    content = models.JSONField(encoder=DjangoJSONEncoder)
    text = models.TextField(blank=True)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Generated from this version's content when it is published."),
    )

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("published version")
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "number"], name="unique_framework_version"
            )
        ]

    def __str__(self):
        return f"{self.title} {self.number}"

    def get_url(self, request=None):
        return self.page.version_url(self.number, request)


class DocumentDownloadCount(models.Model):
    """How often a document was downloaded: a plain counter, nothing about who."""

    document = models.OneToOneField(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="download_count",
    )
    count = models.PositiveIntegerField(default=0)
    last_downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document downloads")
        verbose_name_plural = _("document downloads")
        ordering = ["-count"]

    def __str__(self):
        return f"{self.document}: {self.count}"


# Consultations on drafts live in their own module; imported here so Django
# registers them with the app.
from .consultation_models import (  # noqa: E402, F401
    Clause,
    Comment,
    CommentType,
    Consultation,
    ConsultationQuestion,
    OrganisationType,
    Response,
)
