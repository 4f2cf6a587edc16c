from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from cms.cache import invalidate_on_change

        from . import signals  # noqa: F401
        from .models import REGISTRATIONS, AgendaSession, Registration, Speaker

        # Event pages and the listing show seats left and registration state:
        # a registration makes them stale (they depend on this data version),
        # not the rest of the site, which stays cached through the rush.
        invalidate_on_change(Registration, data=REGISTRATIONS)
        # Event and webinar pages show speakers, a snippet edited apart from
        # them; sessions change with their page's publication, or by hand.
        invalidate_on_change(Speaker)
        invalidate_on_change(AgendaSession)
