"""Read-only JSON for events at /api/v1/events; never the joining link."""

from datetime import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from wagtail.models import Locale

from cms.api_schemas import Id, responses

from .models import EventPage

router = Router(tags=["events"])


class EventOut(Schema):
    id: int
    title: str
    summary: str
    start: datetime
    end: datetime
    format: str
    venue: str
    address: str
    map_url: str
    capacity: int
    seats_left: int
    state: str
    url: str
    ics_url: str

    @staticmethod
    def resolve_format(obj):
        return obj.event_format

    @staticmethod
    def resolve_seats_left(obj):
        return obj.seats_left()

    @staticmethod
    def resolve_url(obj):
        return settings.SITE_URL + obj.url

    @staticmethod
    def resolve_ics_url(obj):
        return settings.SITE_URL + obj.url + "calendar/"


def _public_events():
    return EventPage.objects.live().public().with_seat_counts()


@router.get(
    "/events",
    response=responses(list[EventOut], parameters=False),
    summary="Upcoming events",
)
def upcoming_events(request):
    """The events of the language asked for (`?lang=`, `Accept-Language`):
    each event once, in that language's version."""
    return list(_public_events().upcoming().filter(locale=Locale.get_active()))


@router.get(
    "/events/{event_id}",
    response=responses(EventOut, not_found=True),
    summary="One event",
)
def event_detail(request, event_id: Id):
    return get_object_or_404(_public_events(), pk=event_id)
