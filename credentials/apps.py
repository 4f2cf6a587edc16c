from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = _("Catalogue")

    def ready(self):
        from . import (
            search,  # noqa: F401 (registers the catalogue search index)
            signals,
        )

        signals.connect()
