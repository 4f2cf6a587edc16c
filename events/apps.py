from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from cms.http_cache import PAGES, purge_on_change

        from . import signals  # noqa: F401
        from .models import EVENTS, AgendaSession, Registration, Speaker

        # Event pages and the listing show seats left and registration state.
        purge_on_change(Registration, lambda r: [EVENTS, f"event-{r.event_id}"])
        # Event and webinar pages show speakers, a snippet edited apart from them.
        purge_on_change(Speaker, lambda speaker: [PAGES])
        purge_on_change(AgendaSession, lambda s: [EVENTS, f"event-{s.event_id}"])
