"""Staff views in the Wagtail admin: registrations per event, exports, check-in."""

import csv
import io
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from cms.exports import neutralise

from . import services
from .forms import AttendeeEmailForm, CheckInForm
from .models import EventPage, Registration

EXPORT_COLUMNS = [
    ("name", gettext_lazy("Name")),
    ("email", gettext_lazy("Email")),
    ("organisation", gettext_lazy("Organisation")),
    ("sector", gettext_lazy("Sector")),
    ("role", gettext_lazy("Role")),
    ("status", gettext_lazy("Status")),
    ("code", gettext_lazy("Check-in code")),
    ("accommodations", gettext_lazy("Accessibility accommodations")),
    ("dietary", gettext_lazy("Dietary needs")),
    ("language", gettext_lazy("Language")),
    ("created_at", gettext_lazy("Registered")),
    ("checked_in_at", gettext_lazy("Checked in")),
]


def staff_required(view):
    """Registrations hold personal data: staff only, not every admin user."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and (user.is_staff or user.is_superuser)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _counts(event):
    return Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status="confirmed")),
        waitlisted=Count("pk", filter=Q(status="waitlisted")),
        cancelled=Count("pk", filter=Q(status="cancelled")),
        pending=Count("pk", filter=Q(status="pending")),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )


def _event(event_id):
    """The event whose registrations these are: a translation's page shows its
    default-language page's (`EventPage.seat_event`)."""
    return get_object_or_404(EventPage, pk=event_id).seat_event


@staff_required
def index(request):
    # One row per event: its translations share its registrations.
    default_page = EventPage.objects.filter(
        translation_key=OuterRef("translation_key"), locale=Locale.get_default()
    ).exclude(pk=OuterRef("pk"))
    events = (
        EventPage.objects.exclude(Exists(default_page))
        .with_seat_counts()
        .annotate(
            cancelled_count=Count(
                "registrations",
                filter=Q(registrations__status="cancelled"),
                distinct=True,
            )
        )
        .order_by("-start")
    )
    return TemplateResponse(
        request,
        "events/admin/index.html",
        {"events": events, "header_title": _("Registrations")},
    )


@staff_required
def registrations(request, event_id):
    event = _event(event_id)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    rows = Registration.objects.filter(event=event).search(query)
    if status in Registration.Status.values:
        rows = rows.filter(status=status)
    return TemplateResponse(
        request,
        "events/admin/registrations.html",
        {
            "event": event,
            "counts": _counts(event),
            "registrations": rows.order_by("status", "waitlisted_at", "name", "pk"),
            "query": query,
            "status": status,
            "statuses": Registration.Status.choices,
            "header_title": _("Registrations: %(event)s") % {"event": event.title},
        },
    )


def _cell(value):
    """Plain text for a spreadsheet cell; formulas are neutralised."""
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return neutralise(str(value))


def _value(registration, field):
    if field in ("status", "sector", "language"):
        return getattr(registration, f"get_{field}_display")()
    return getattr(registration, field)


def _export_rows(event):
    yield [str(label) for _field, label in EXPORT_COLUMNS]
    for registration in Registration.objects.filter(event=event).order_by(
        "status", "created_at", "pk"
    ):
        yield [_cell(_value(registration, field)) for field, _label in EXPORT_COLUMNS]


@staff_required
def export_csv(request, event_id):
    event = _event(event_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(_export_rows(event))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{event.slug}-registrations.csv"'
    )
    return response


@staff_required
def export_xlsx(request, event_id):
    from openpyxl import Workbook

    event = _event(event_id)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Registrations"
    for row in _export_rows(event):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{event.slug}-registrations.xlsx"'
    )
    return response


@staff_required
def check_in(request, event_id):
    """The check-in desk: find by name or code, then check in with one click."""
    event = _event(event_id)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.check_in(
                event=event, code=form.cleaned_data["code"], actor=request.user
            )
        except services.RegistrationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("%(name)s is checked in.") % {"name": registration.name}
            )
        url = reverse("events_admin:check_in", args=[event.pk])
        query = request.GET.get("q", "")
        return redirect(f"{url}?q={query}" if query else url)
    query = request.GET.get("q", "").strip()
    matches = (
        Registration.objects.filter(event=event).search(query).order_by("name")
        if query
        else Registration.objects.none()
    )
    return TemplateResponse(
        request,
        "events/admin/check_in.html",
        {
            "event": event,
            "form": form,
            "query": query,
            "matches": matches,
            "counts": _counts(event),
            "header_title": _("Check-in: %(event)s") % {"event": event.title},
        },
    )


@staff_required
@require_POST
def cancel(request, event_id, pk):
    registration = get_object_or_404(Registration, event_id=event_id, pk=pk)
    try:
        services.cancel(registration=registration, actor=request.user)
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Cancelled %(name)s.") % {"name": registration.name}
        )
    return redirect("events_admin:registrations", event_id=event_id)


@staff_required
@require_POST
def promote(request, event_id, pk):
    registration = get_object_or_404(Registration, event_id=event_id, pk=pk)
    try:
        services.promote(registration=registration, actor=request.user)
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(name)s now has a seat.") % {"name": registration.name}
        )
    return redirect("events_admin:registrations", event_id=event_id)


@staff_required
def email_attendees(request, event_id):
    event = _event(event_id)
    form = AttendeeEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.email_attendees(
            event=event,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            actor=request.user,
        )
        messages.success(
            request,
            _("Your message is being sent to %(count)s confirmed attendees.")
            % {"count": count},
        )
        return redirect("events_admin:registrations", event_id=event.pk)
    return TemplateResponse(
        request,
        "events/admin/email.html",
        {
            "event": event,
            "form": form,
            "counts": _counts(event),
            "header_title": _("Email attendees: %(event)s") % {"event": event.title},
        },
    )
