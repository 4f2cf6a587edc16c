"""Events in English with their French translation, for the i18n tests."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Locale

from cms.models import HomePage
from cms.seed_french import translate
from events.models import EventIndexPage, EventPage


def event_index():
    """The English events index and its French translation (/fr/evenements/)."""
    home = HomePage.default()
    index = EventIndexPage.objects.filter(locale=home.locale).first()
    if index is None:
        index = EventIndexPage(title="Events", slug="events")
        home.add_child(instance=index)
        index.save_revision().publish()
    french = translate(
        index, Locale.objects.get(language_code="fr"), "evenements", title="Événements"
    )
    return index, french


def bilingual_event(title, french_title, slug, french_slug, **fields):
    """An open event in English and its published French translation."""
    index, _french_index = event_index()
    now = timezone.now().replace(second=0, microsecond=0)
    event = EventPage(
        **{
            "title": title,
            "slug": slug,
            "summary": f"About {title}.",
            "start": now + timedelta(days=30),
            "end": now + timedelta(days=30, hours=8),
            "event_format": EventPage.Format.HYBRID,
            "venue": "Toronto Reference Library",
            "online_url": "https://meet.example.org/forum-room",
            "capacity": 5,
            "registration_opens": now - timedelta(days=1),
            **fields,
        }
    )
    index.add_child(instance=event)
    event.save_revision().publish()
    french = translate(
        event,
        Locale.objects.get(language_code="fr"),
        french_slug,
        title=french_title,
        summary=f"À propos de {french_title}.",
    )
    return EventPage.objects.get(pk=event.pk), EventPage.objects.get(pk=french.pk)
