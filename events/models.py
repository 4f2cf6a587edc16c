"""The annual forum, its registrations and waitlist, and webinar recordings."""

import secrets
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from cms import http_cache
from cms.blocks import BaseStreamBlock
from cms.fields import StreamField
from cms.models import BasePageMixin, IndexPageMixin

from .managers import EventQuerySet, RegistrationQuerySet

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
# The tag (cms.http_cache) of every page that shows seats left or the state of
# registration: the listing and each event page.
EVENTS = "events"


class Speaker(index.Indexed, models.Model):
    """A speaker or presenter, reused across events and webinars (a snippet)."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )
    photo_alt = models.CharField(
        _("photo description"),
        max_length=250,
        blank=True,
        help_text=_("Describes the photo for people who cannot see it."),
    )
    bio = RichTextField(_("biography"), blank=True, features=["bold", "italic", "link"])

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("title"), FieldPanel("organisation")]),
        FieldPanel("photo"),
        FieldPanel("photo_alt"),
        FieldPanel("bio"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("organisation"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return self.name

    def clean(self):
        if self.photo_id and not self.photo_alt.strip():
            raise ValidationError(
                {"photo_alt": _("Describe the photo for people who cannot see it.")}
            )


class EventIndexPage(RoutablePageMixin, IndexPageMixin, Page):
    """/events/: upcoming and past events, and the calendar feed."""

    subpage_types = ["events.EventPage"]
    parent_page_types = ["cms.HomePage"]
    max_count = 1
    template = "events/event_index_page.html"

    class Meta:
        verbose_name = _("event index page")

    def _events(self):
        return (
            EventPage.objects.child_of(self)
            .live()
            .public()
            .with_seat_counts()
            .select_related("social_image")
            .prefetch_related("social_image__renditions")
        )

    @cached_property
    def upcoming_events(self):
        return list(self._events().upcoming())

    def cache_tags(self):
        return [EVENTS]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The listing changes by itself when one of its events opens, closes
        # or ends: no shared copy may outlive the first such moment.
        now = timezone.now()
        for event in self.upcoming_events:
            http_cache.cache_until(request, event.next_state_change(now))
        return context

    @property
    def past_events(self):
        return list(self._events().past())

    @path("")
    def index(self, request):
        return self.render(request)

    def feed_response(self):
        """The calendar feed of upcoming events; it never carries joining links.

        Served at /events/feed.ics (/fr/events/feed.ics: the French index's)
        by `events.views.feed` (Wagtail's page URLs cannot end in a file
        extension).
        """
        from .calendar import calendar_for_events

        events = EventPage.objects.child_of(self).live().public().upcoming()
        body = calendar_for_events(events, name=self.title)
        response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
        response["Content-Disposition"] = 'inline; filename="events.ics"'
        return response


class EventPage(RoutablePageMixin, BasePageMixin, Page):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class State(models.TextChoices):
        NOT_YET_OPEN = "not_yet_open", _("Registration not yet open")
        OPEN = "open", _("Registration open")
        WAITLIST = "waitlist", _("Waitlist only")
        CLOSED = "closed", _("Registration closed")
        PAST = "past", _("Past event")

    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    event_format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    map_url = models.URLField(_("map link"), blank=True)
    online_url = models.URLField(
        _("online joining link"),
        blank=True,
        help_text=_(
            "Shown only to confirmed registrants, on the page and in their email; "
            "never in listings, feeds or search."
        ),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("description"))
    capacity = models.PositiveIntegerField(_("capacity"), default=100)
    registration_opens = models.DateTimeField(
        _("registration opens"), null=True, blank=True
    )
    registration_closes = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep registration open until the event starts."),
    )
    waitlist_auto_promote = models.BooleanField(
        _("promote from the waitlist automatically"),
        default=True,
        help_text=_(
            "When a seat frees up, give it to the first person on the waitlist. "
            "Turn off to promote by hand."
        ),
    )
    speakers = ParentalManyToManyField(
        Speaker, blank=True, related_name="events", verbose_name=_("speakers")
    )

    objects = PageManager.from_queryset(EventQuerySet)()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("event_format"),
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldPanel("map_url"),
                FieldPanel("online_url"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel(
                    [
                        FieldPanel("registration_opens"),
                        FieldPanel("registration_closes"),
                    ]
                ),
                FieldPanel("waitlist_auto_promote"),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("speakers"),
        InlinePanel("sessions", label=_("Agenda")),
    ]
    promote_panels = BasePageMixin.promote_panels
    # The joining link is deliberately not indexed.
    search_fields = [
        *Page.search_fields,
        *BasePageMixin.search_fields,
        index.SearchField("body"),
        index.SearchField("venue"),
        index.FilterField("start"),
        index.FilterField("end"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    template = "events/event_page.html"
    search_kind = _("Event")

    class Meta:
        verbose_name = _("event page")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The event cannot end before it starts.")
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes < self.registration_opens
        ):
            errors["registration_closes"] = _(
                "Registration cannot close before it opens."
            )
        if self.event_format != self.Format.IN_PERSON and not self.online_url:
            errors["online_url"] = _("Online and hybrid events need a joining link.")
        if self.event_format != self.Format.ONLINE and not self.venue:
            errors["venue"] = _("In-person and hybrid events need a venue.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_online(self):
        return self.event_format in {self.Format.ONLINE, self.Format.HYBRID}

    @property
    def effective_closes(self):
        return self.registration_closes or self.start

    # What the event's translations take from it when it is published: one
    # event in two languages has one capacity and one registration period.
    SEAT_FIELDS = (
        "start",
        "end",
        "event_format",
        "capacity",
        "registration_opens",
        "registration_closes",
        "waitlist_auto_promote",
    )

    @cached_property
    def seat_event(self):
        """The page that holds this event's seats and registrations.

        An event and its translations are one event: its page in the site's
        default language takes every registration, made on any language's
        page, and the seat lock is on that page's row. A translation whose
        default-language page is gone holds its own.
        """
        from wagtail.models import Locale

        default = Locale.get_default()
        if self.locale_id == default.pk:
            return self
        source = EventPage.objects.filter(
            translation_key=self.translation_key, locale_id=default.pk
        ).first()
        return source or self

    def seats_taken(self):
        """Confirmed registrations in every language; uses the listing
        annotation when present."""
        if hasattr(self, "confirmed_count"):
            return self.confirmed_count
        return Registration.objects.of_event(self).confirmed().count()

    def seats_left(self):
        return max(self.capacity - self.seats_taken(), 0)

    def registration_state(self, now=None):
        now = now or timezone.now()
        if self.end < now:
            return self.State.PAST
        if self.registration_opens and now < self.registration_opens:
            return self.State.NOT_YET_OPEN
        if now >= self.effective_closes:
            return self.State.CLOSED
        if self.seats_left() <= 0:
            return self.State.WAITLIST
        return self.State.OPEN

    @cached_property
    def state(self):
        return self.registration_state()

    def next_state_change(self, now=None):
        """The next moment the state changes by itself (registration opens or
        closes, the event ends), or None when it is over."""
        now = now or timezone.now()
        moments = (self.registration_opens, self.effective_closes, self.end)
        return min((m for m in moments if m is not None and m > now), default=None)

    def cache_tags(self):
        return [EVENTS, f"event-{self.pk}"]

    @property
    def state_label(self):
        return self.State(self.state).label

    def registration_for(self, user):
        """The signed-in user's active registration for this event, if any."""
        if not user.is_authenticated:
            return None
        return Registration.objects.of_event(self).active().filter(user=user).first()

    def programme(self):
        """The agenda (sessions with their speakers) and the event's speakers."""
        sessions = self.sessions.all()
        if isinstance(sessions, models.QuerySet):
            # Not a preview, whose new sessions are not saved yet.
            sessions = sessions.prefetch_related("speakers")
        speakers = self.speakers.all().select_related("photo").order_by("name")
        return list(sessions.order_by("start", "pk")), list(speakers)

    def get_context(self, request, *args, **kwargs):
        from .forms import RegistrationForm

        context = super().get_context(request, *args, **kwargs)
        http_cache.cache_until(request, self.next_state_change())
        if not hasattr(self, "confirmed_count"):
            # Counted once for the state badge and "seats left" alike.
            self.confirmed_count = (
                Registration.objects.of_event(self).confirmed().count()
            )
        # Read only when the agenda is rendered, not when the page's cached
        # copy of it is shown (cms.fragments).
        programme = SimpleLazyObject(self.programme)
        context["sessions"] = SimpleLazyObject(lambda: programme[0])
        context["event_speakers"] = SimpleLazyObject(lambda: programme[1])
        context["registration"] = self.registration_for(request.user)
        context.setdefault("form", RegistrationForm(user=request.user, event=self))
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("register/", name="register")
    def register(self, request):
        from .views import register_for_event

        return register_for_event(request, self)

    @path("calendar/", name="ics")
    def ics(self, request):
        """The public calendar file: no joining link, whoever asks."""
        from .calendar import calendar_for_events

        response = HttpResponse(
            calendar_for_events([self], name=self.title),
            content_type=ICS_CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="{self.slug}.ics"'
        return response


class AgendaSession(Orderable, ClusterableModel):
    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=255)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"), null=True, blank=True)
    room = models.CharField(_("room or stream"), max_length=120, blank=True)
    track = models.CharField(_("track"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    speakers = ParentalManyToManyField(
        Speaker, blank=True, related_name="sessions", verbose_name=_("speakers")
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("room"), FieldPanel("track")]),
        FieldPanel("description"),
        FieldPanel("speakers"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("agenda session")

    def __str__(self):
        return self.title

    @property
    def day(self):
        """The session's date in Toronto, where the agenda's times are given."""
        from zoneinfo import ZoneInfo

        return self.start.astimezone(ZoneInfo("America/Toronto")).date()


def _new_code():
    # No 0/O or 1/I: the code is read aloud and typed at the check-in desk.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting email confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    class Sector(models.TextChoices):
        HIGHER_EDUCATION = "higher_education", _("Higher education")
        INDUSTRY = "industry", _("Industry")
        GOVERNMENT = "government", _("Government")
        OTHER = "other", _("Other")

    event = models.ForeignKey(
        EventPage, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(
        _("sector"), max_length=30, choices=Sector.choices, blank=True
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    accommodations = models.TextField(_("accessibility accommodations"), blank=True)
    dietary = models.TextField(_("dietary needs"), blank=True)
    # The language of the page they registered on: their emails, sent later
    # by a task, are written in it (cms.languages).
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    code = models.CharField(
        _("check-in code"), max_length=12, unique=True, default=_new_code
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="events_one_active_registration_per_email",
            )
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self):
        return f"{self.name} <{self.email}> ({self.get_status_display()})"

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED

    @property
    def waitlist_position(self):
        if self.status != self.Status.WAITLISTED:
            return None
        return (
            Registration.objects.waitlisted()
            .filter(event_id=self.event_id)
            .filter(
                Q(waitlisted_at__lt=self.waitlisted_at)
                | Q(waitlisted_at=self.waitlisted_at, pk__lt=self.pk)
            )
            .count()
            + 1
        )

    def manage_token(self):
        from .signing import manage_token

        return manage_token(self)

    def get_manage_url(self):
        from django.urls import reverse

        return reverse("events:manage", args=[self.manage_token()])


class RegistrationLog(models.Model):
    """An audit record of every change to a registration and who made it."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="log"
    )
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.action} {self.registration_id}"


class RelatedLinkBlock(blocks.StreamBlock):
    document = DocumentChooserBlock(label=_("Document"))
    page = blocks.PageChooserBlock(label=_("Page"))


class WebinarIndexPage(IndexPageMixin, Page):
    """/webinars/: recordings, newest first."""

    subpage_types = ["events.WebinarPage"]
    parent_page_types = ["cms.HomePage"]
    max_count = 1
    template = "events/webinar_index_page.html"

    class Meta:
        verbose_name = _("webinar index page")

    @property
    def webinars(self):
        return list(
            WebinarPage.objects.child_of(self)
            .live()
            .public()
            .select_related("social_image")
            .prefetch_related("social_image__renditions")
            .order_by("-recorded_on", "-pk")
        )


class WebinarPage(RoutablePageMixin, BasePageMixin, Page):
    recorded_on = models.DateField(_("date"))
    presenters = ParentalManyToManyField(
        Speaker, blank=True, related_name="webinars", verbose_name=_("presenters")
    )
    video = models.ForeignKey(
        "wagtailmedia.Media",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("video file"),
    )
    video_url = models.URLField(
        _("external video address"),
        blank=True,
        help_text=_("Used when no video file is uploaded, e.g. a YouTube address."),
    )
    captions = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("captions (WebVTT)"),
    )
    captions_language = models.CharField(
        _("captions language"), max_length=10, default="en"
    )
    transcript = RichTextField(
        _("transcript"),
        features=["h3", "bold", "italic", "ol", "ul", "link"],
        help_text=_("The full transcript; required for accessibility."),
    )
    slides = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("slides"),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("description"))
    related_links = StreamField(
        RelatedLinkBlock(), blank=True, verbose_name=_("related framework documents")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("recorded_on"),
        FieldPanel("presenters"),
        MultiFieldPanel(
            [
                FieldPanel("video"),
                FieldPanel("video_url"),
                FieldRowPanel(
                    [FieldPanel("captions"), FieldPanel("captions_language")]
                ),
            ],
            heading=_("Recording"),
        ),
        FieldPanel("transcript"),
        FieldPanel("slides"),
        FieldPanel("body"),
        FieldPanel("related_links"),
    ]
    promote_panels = BasePageMixin.promote_panels
    search_fields = [
        *Page.search_fields,
        *BasePageMixin.search_fields,
        index.SearchField("transcript"),
        index.SearchField("body"),
        index.FilterField("recorded_on"),
    ]
    parent_page_types = ["events.WebinarIndexPage"]
    subpage_types = []
    template = "events/webinar_page.html"
    search_kind = _("Webinar")

    class Meta:
        verbose_name = _("webinar page")

    def clean(self):
        super().clean()
        if not self.video_id and not self.video_url:
            raise ValidationError(
                {"video_url": _("Upload a video file or give a video address.")}
            )
        if self.captions_id and not self.captions.file.name.lower().endswith(".vtt"):
            raise ValidationError(
                {"captions": _("Captions must be a WebVTT (.vtt) file.")}
            )

    @property
    def captions_label(self):
        """The captions track's name in its own language ("English",
        "Français"), as a player's list of caption languages shows it."""
        from django.utils.translation import get_language_info

        try:
            name = get_language_info(self.captions_language)["name_local"]
        except KeyError:
            return self.captions_language
        return name[:1].upper() + name[1:]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["presenters"] = list(
            self.presenters.all().select_related("photo").order_by("name")
        )
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("captions/", name="captions")
    def captions_track(self, request):
        """Serve the captions as text/vtt from this origin, as <track> requires."""
        from django.http import Http404

        if not self.captions_id:
            raise Http404
        with self.captions.file.open("rb") as handle:
            data = handle.read()
        return HttpResponse(data, content_type="text/vtt; charset=utf-8")
