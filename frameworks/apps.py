from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = _("Frameworks")

    def ready(self):
        from cms.http_cache import PAGES, purge_on_change

        from . import signals
        from .models import FrameworkVersion

        signals.connect()
        # Listings, version pages and the feed show versions.
        purge_on_change(FrameworkVersion, lambda version: [PAGES])
