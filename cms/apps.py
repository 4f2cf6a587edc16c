from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site"

    def ready(self):
        # Cache-Control for Wagtail pages, and purges of the HTTP cache in front.
        from . import http_cache

        http_cache.connect()

        from .exports import protect_wagtail_exports

        protect_wagtail_exports()

        # Wagtail's Locale lookups from the cache (cms/locales.py).
        from . import locales

        locales.connect()

        # A page's translations are as private as the page.
        from . import translated_privacy

        translated_privacy.connect()
