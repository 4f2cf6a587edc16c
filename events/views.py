"""Registration views: the form on the event page, members' list, signed links."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms import http_cache, languages
from cms.http import client_ip
from cms.ratelimit import consume

from . import services
from .calendar import calendar_for_registration
from .forms import RegistrationForm
from .models import Registration
from .signing import registration_from_confirm_token, registration_from_manage_token

RETRY_AFTER_SECONDS = 5
# How many registration emails the guest form may send per address and event,
# and per client address (override with EVENTS_GUEST_RATE_LIMITS).
GUEST_RATE_LIMITS = {"address": "3/h", "client": "10/h"}


@http_cache.edge_cacheable("events", "pages")
def feed(request):
    """/events/feed.ics: the calendar of upcoming events under the events index
    of the address's language (/fr/events/feed.ics: the French one), or of the
    site's language while the index has no translation."""
    from wagtail.models import Locale

    from .models import EventIndexPage

    indexes = {
        index.locale_id: index
        for index in EventIndexPage.objects.live()
        .public()
        .filter(locale__language_code__in={languages.current(), settings.LANGUAGE_CODE})
    }
    index = indexes.get(Locale.get_active().pk) or indexes.get(Locale.get_default().pk)
    if index is None:
        raise Http404
    return index.feed_response()


def busy_response(request, event=None):
    """The friendly "try again" page when the seat lock is not to be had."""
    response = TemplateResponse(
        request, "events/busy.html", {"event": event}, status=503
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _verified_email(user):
    if not user.is_authenticated:
        return None
    address = (
        EmailAddress.objects.filter(user=user, primary=True, verified=True).first()
        or EmailAddress.objects.filter(user=user, verified=True).first()
    )
    return address.email if address else None


def guest_may_send(request, event, email):
    """Count one guest registration email; False once a limit is reached.

    Both limits are counted for every address, registered or not, so being
    limited says nothing about whether an address is registered.
    """
    limits = {**GUEST_RATE_LIMITS, **getattr(settings, "EVENTS_GUEST_RATE_LIMITS", {})}
    return consume(
        "events-guest-client", client_ip(request), limits["client"]
    ) and consume("events-guest-address", f"{event.pk}:{email}", limits["address"])


def _check_email(request, event, email):
    """What a guest sees after the form, whether or not the address was
    registered already (its owner gets an email either way)."""
    return TemplateResponse(
        request, "events/check_email.html", {"event": event, "email": email}
    )


def register_for_event(request, event):
    """Handle the registration form posted from an event page."""
    if request.method != "POST":
        return redirect(event.url)
    form = RegistrationForm(request.POST, user=request.user, event=event)
    if form.is_valid():
        data = form.cleaned_data
        user = request.user if request.user.is_authenticated else None
        verified = _verified_email(request.user) if user else None
        email = verified or (user.email if user else data["email"])
        if user is None:
            email = email.strip().lower()
            if not guest_may_send(request, event, email):
                form.add_error(
                    None,
                    _(
                        "We have sent several registration emails from here or "
                        "to this address in the last hour, so we sent nothing "
                        "this time. Please check your inbox (and spam folder), "
                        "or try again in an hour."
                    ),
                )
                response = event.render(request, context_overrides={"form": form})
                response.status_code = 429
                return response
        try:
            registration = services.register(
                event=event,
                user=user,
                name=data["name"],
                email=email,
                email_verified=bool(verified),
                organisation=data["organisation"],
                sector=data["sector"],
                role=data["role"],
                accommodations=data["accommodations"],
                dietary=data["dietary"],
                language=languages.current(),
            )
        except services.EventBusy:
            return busy_response(request, event)
        except services.DuplicateRegistration as exc:
            if user is None:
                # Anyone may type any address: answer as for a new one.
                return _check_email(request, event, email)
            form.add_error(None, exc.message)
        except services.RegistrationError as exc:
            form.add_error(None, exc.message)
        else:
            if registration.status == Registration.Status.PENDING:
                return _check_email(request, event, email)
            return redirect(registration.get_manage_url())
    response = event.render(request, context_overrides={"form": form})
    response.status_code = 400
    return response


@login_required
def my_registrations(request):
    registrations = (
        Registration.objects.visible_to(request.user)
        .filter(user=request.user)
        .select_related("event")
        .order_by("-event__start", "pk")
    )
    return TemplateResponse(
        request,
        "events/my_registrations.html",
        {"registrations": registrations},
    )


@login_required
@require_POST
def cancel_mine(request, pk):
    registration = get_object_or_404(
        Registration.objects.filter(user=request.user), pk=pk
    )
    try:
        services.cancel(registration=registration, actor=request.user)
    except services.EventBusy:
        return busy_response(request, registration.event)
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Your registration for %(event)s is cancelled.")
            % {"event": registration.event.title},
        )
    return redirect("events:mine")


def manage(request, token):
    """View or cancel one registration through the signed link in its emails."""
    registration = registration_from_manage_token(token)
    if registration is None:
        raise Http404
    if request.method == "POST":
        try:
            registration = services.cancel(registration=registration)
        except services.EventBusy:
            return busy_response(request, registration.event)
        except services.RegistrationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect("events:manage", token=token)
    # The event's page in the address's language (registrations are held by
    # its default-language page, whatever page they were made on).
    event = registration.event.localized
    return TemplateResponse(
        request,
        "events/manage.html",
        {
            "registration": registration,
            "event": event,
            "token": token,
            "join_url": (
                event.online_url
                if registration.is_confirmed and event.is_online
                else ""
            ),
        },
    )


def manage_ics(request, token):
    """The registrant's own calendar file, with the joining link once confirmed."""
    registration = registration_from_manage_token(token)
    if registration is None or registration.status == Registration.Status.CANCELLED:
        raise Http404
    event = languages.localized(registration.event, languages.current())
    response = HttpResponse(
        calendar_for_registration(registration, event=event),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{registration.event.slug}.ics"'
    )
    return response


def confirm(request, token):
    """A guest confirms their email: GET shows a button, POST takes the seat.

    Confirming on POST only keeps mail scanners that follow links from taking
    seats on someone's behalf.
    """
    registration = registration_from_confirm_token(token)
    if registration is None:
        return TemplateResponse(request, "events/confirm_invalid.html", {}, status=404)
    if request.method == "POST":
        try:
            registration = services.confirm_guest(registration=registration)
        except services.EventBusy:
            return busy_response(request, registration.event)
        except services.RegistrationError as exc:
            messages.error(request, exc.message)
            return redirect(registration.event.localized.url)
        return redirect(registration.get_manage_url())
    if registration.status != Registration.Status.PENDING:
        return redirect(registration.get_manage_url())
    return TemplateResponse(
        request,
        "events/confirm.html",
        {
            "registration": registration,
            "event": registration.event.localized,
            "token": token,
        },
    )
