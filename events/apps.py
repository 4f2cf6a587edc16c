from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from cms.cache import invalidate_on_change

        from . import signals  # noqa: F401
        from .models import Registration

        # Listings show seats left and registration state: a change to any
        # registration makes the cached anonymous pages stale.
        invalidate_on_change(Registration)
