from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site"

    def ready(self):
        # The page cache's Wagtail hook and invalidation signals.
        from . import (
            cache,  # noqa: F401
            permissions,
        )

        permissions.connect()
