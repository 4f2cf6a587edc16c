"""Pages and settings shared by the whole site."""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page, get_page_models
from wagtail.search import index

from . import fragments, languages, sites
from .blocks import BaseStreamBlock
from .fields import StreamField
from .permissions import public_pages
from .tasks import send_contact_email


class BasePageMixin(models.Model):
    """Fields every public page shares: a summary used in listings and meta tags."""

    summary = models.TextField(
        blank=True,
        max_length=400,
        help_text=_(
            "One or two sentences for listings, search results and "
            "social media previews."
        ),
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    promote_panels = [
        *Page.promote_panels,
        FieldPanel("summary"),
        FieldPanel(
            "social_image",
            heading=_("Image"),
            help_text=_(
                "Shown on this page's card in listings and in link previews. "
                "Its description is the alt text; leave that empty for an "
                "image that only decorates."
            ),
        ),
    ]
    search_fields = [index.SearchField("summary")]

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        """Wagtail's view restrictions of this page and its ancestors (through
        an alias, its source's), in one query where Wagtail takes two; read
        from the database each time. The page's own check, just made while
        serving it (cms.http_cache), is handed to Wagtail's check that follows
        instead of being asked again."""
        from wagtail.models import PageViewRestriction

        checked = self.__dict__.pop("_view_restrictions_checked", None)
        if checked is not None:
            return checked
        step = self.steplen
        paths = [self.path[:end] for end in range(step, len(self.path or "") + 1, step)]
        chain = Page.objects.filter(path__in=paths)
        return PageViewRestriction.objects.filter(
            Q(page__in=chain.filter(alias_of__isnull=True))
            | Q(page__in=chain.filter(alias_of__isnull=False).values("alias_of"))
        )

    def cache_tags(self):
        """Tags (cms.http_cache) naming what this page shows besides itself and
        other pages, so that a change to that data purges it from the shared
        cache. Override in pages that show other data (seats left, entries)."""
        return []

    @property
    def meta_description(self):
        """The description for search engines: the SEO field, else the summary."""
        return self.search_description or self.summary


class IndexPageMixin(BasePageMixin):
    """A section's index page: a short introduction above the section's listing."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [
        *Page.search_fields,
        *BasePageMixin.search_fields,
        index.SearchField("intro"),
    ]

    class Meta:
        abstract = True


class HomePage(BasePageMixin, Page):
    intro = models.TextField(blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        *BasePageMixin.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    max_count = 1
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("home page")

    @classmethod
    def default(cls):
        """The home page in the site's default language (English): the root of
        the tree that the other languages' home pages translate (issue 21)."""
        return cls.objects.get(locale__language_code=settings.LANGUAGE_CODE)

    def route(self, request, path_components):
        """Find the deepest page on the path, then let it route.

        Wagtail walks the tree one slug at a time, two queries a level. Every
        page's url_path is its parent's plus its slug, so the pages on a path
        are known from the URL; the deepest that exists takes the rest of the
        path (a sub-route such as an event's register/), as Wagtail would
        have handed it on: one query for the path, one for that page's row.
        Liveness, privacy and previews are checked as before, by that page's
        route and serve. Which page a path leads to is the same for everyone
        until a page changes: kept with the page fragments (cms.fragments).
        """
        if not path_components and sites.kept_with_site(self):
            # The site's root page from the cache (cms.sites): served from
            # the database, which says whether it is live.
            page = type(self)._default_manager.filter(pk=self.pk).first()
            if page is None:
                raise Http404
            return page.route(request, path_components)
        if path_components:
            found = self._deepest_on_path_kept(request, path_components)
            if found is not None:
                pk, content_type_id, depth = found
                model = ContentType.objects.get_for_id(content_type_id).model_class()
                deepest = (
                    model._default_manager.filter(pk=pk).first() if model else None
                )
                if deepest is not None:
                    consumed = depth - self.depth
                    return deepest.route(request, path_components[consumed:])
        return super().route(request, path_components)

    def _deepest_on_path_kept(self, request, path_components):
        """`_deepest_on_path`, kept for pages' own URLs only: as many entries
        as there are pages, whatever paths visitors make up."""
        path = "/".join(path_components)
        digest = hashlib.md5(path.encode(), usedforsecurity=False).hexdigest()
        key = f"route:{self.pk}:{digest}:{fragments.version(request)}"
        found = cache.get(key)
        if found is None:
            found = self._deepest_on_path(path_components)
            if found is not None and found[2] - self.depth == len(path_components):
                cache.set(key, found, fragments.TIMEOUT)
        return found

    def _deepest_on_path(self, path_components):
        prefixes, url_path = [], self.url_path
        for component in path_components:
            url_path += f"{component}/"
            prefixes.append(url_path)

        return (
            Page.objects.filter(
                url_path__in=prefixes,
                path__startswith=self.path,
                depth__gt=self.depth,
            )
            .order_by("-depth")
            .values_list("pk", "content_type_id", "depth")
            .first()
        )

    @property
    def featured_pages(self):
        """The pages under home shown as cards, in tree order, each with its
        `card_summary`: in one query however many kinds of pages they are
        (`.specific()` would take one more for each kind)."""
        summaries = [
            Subquery(model.objects.filter(pk=OuterRef("pk")).values("summary")[:1])
            for model in get_page_models()
            if issubclass(model, BasePageMixin)
        ]
        return (
            public_pages(self.get_children().live())
            .order_by("path")
            .annotate(
                card_summary=Coalesce(*summaries, Value(""), output_field=TextField())
            )
        )


class StandardPage(BasePageMixin, Page):
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        *BasePageMixin.search_fields,
        index.SearchField("body"),
    ]
    template = "cms/standard_page.html"

    class Meta:
        verbose_name = _("standard page")


class ContactFormField(AbstractFormField):
    page = ParentalKey(
        "ContactPage", on_delete=models.CASCADE, related_name="form_fields"
    )


class ContactPage(BasePageMixin, AbstractEmailForm):
    """A form whose submissions are stored and emailed to the coordinator.

    The recipient is the page's own "to address" when set, otherwise the
    coordinator's address from the site settings.
    """

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("Email"),
        ),
    ]
    promote_panels = BasePageMixin.promote_panels
    search_fields = [
        *Page.search_fields,
        *BasePageMixin.search_fields,
        index.SearchField("intro"),
    ]
    template = "cms/contact_page.html"
    landing_page_template = "cms/contact_page_landing.html"

    class Meta:
        verbose_name = _("contact page")

    def get_form_class(self):
        from .forms import contact_form_class

        return contact_form_class(super().get_form_class())

    # The key, in each submission's form_data, of the language the message was
    # written from (the page's): the coordinator replies in it.
    LANGUAGE_KEY = "language"

    def get_data_fields(self):
        """The submissions' columns (listing and export): the form's fields,
        then the language of the page each message was sent from."""
        return [*super().get_data_fields(), (self.LANGUAGE_KEY, _("Language"))]

    def render_email(self, form):
        """The message for the coordinator, saying which language to reply in."""
        language = languages.current()
        name = dict(settings.LANGUAGES).get(language, language)
        return "\n".join(
            [
                super().render_email(form),
                _("Language: %(language)s") % {"language": name},
            ]
        )

    def get_recipients(self):
        if self.to_address:
            return [address.strip() for address in self.to_address.split(",")]
        settings = SiteSettings.for_site(self.get_site())
        return [settings.coordinator_email] if settings.coordinator_email else []

    def process_form_submission(self, form):
        """Store the submission with its language, then email it once the
        transaction commits."""
        submission = self.get_submission_class().objects.create(
            form_data={**form.cleaned_data, self.LANGUAGE_KEY: languages.current()},
            page=self,
        )
        recipients = self.get_recipients()
        if recipients:
            reply_to = next(
                (
                    value
                    for name, value in form.cleaned_data.items()
                    if "email" in name and isinstance(value, str)
                ),
                None,
            )
            subject = self.subject or self.title
            body = self.render_email(form)
            transaction.on_commit(
                lambda: send_contact_email.enqueue(
                    subject=subject, body=body, recipients=recipients, reply_to=reply_to
                )
            )
        return submission

    def serve(self, request, *args, **kwargs):
        from .forms import ContactRateLimited, check_contact_rate

        if request.method == "POST":
            form = self.get_form(
                request.POST, request.FILES, page=self, user=request.user
            )
            if form.is_valid():
                try:
                    check_contact_rate(request)
                except ContactRateLimited as exc:
                    form.add_error(None, exc.message)
                else:
                    form_submission = self.process_form_submission(form)
                    return self.render_landing_page(
                        request, form_submission, *args, **kwargs
                    )
            context = self.get_context(request)
            context["form"] = form
            return TemplateResponse(
                request, self.get_template(request), context, status=400
            )
        return super().serve(request, *args, **kwargs)


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    coordinator_name = models.CharField(
        # gettext_noop: the default, kept in English, is shown translated
        # (templates/includes/footer.html) until staff change it.
        max_length=120,
        blank=True,
        default=gettext_noop("Program Coordinator"),
    )
    coordinator_email = models.EmailField(
        blank=True, help_text=_("Contact form submissions are sent here.")
    )
    organisation_name = models.CharField(
        max_length=200,
        blank=True,
        default=gettext_noop("Micro-certification programme"),
    )
    footer_text = RichTextField(blank=True, features=["bold", "italic", "link"])
    address = models.TextField(blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("coordinator_name"), FieldPanel("coordinator_email")],
            heading=_("Program coordinator"),
        ),
        FieldPanel("organisation_name"),
        FieldPanel("footer_text"),
        FieldPanel("address"),
    ]

    class Meta:
        verbose_name = _("site settings")

    @staticmethod
    def _cache_key(site_id):
        return f"site-settings:{site_id}"

    @classmethod
    def for_site(cls, site):
        """The site's settings, which every page shows: kept in the cache until
        they are saved (a cache error only means a query)."""
        key = cls._cache_key(site.pk)
        instance = cache.get(key)
        if instance is None:
            instance = super().for_site(site)
            cache.set(key, instance, fragments.TIMEOUT)
        return instance

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        key = self._cache_key(self.site_id)
        cache.delete(key)
        transaction.on_commit(lambda: cache.delete(key))
