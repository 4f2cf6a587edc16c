from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = _("Frameworks")

    def ready(self):
        from . import signals

        signals.connect()
