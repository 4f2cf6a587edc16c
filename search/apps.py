from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules
        from wagtail.models import PageViewRestriction

        from . import signals
        from .registry import register_visibility
        from .site import pages_in_this_language

        # Pages: Wagtail's own rule (live, and no view restriction), in the
        # language of the site being searched: the same for every visitor.
        register_visibility(
            "pages",
            lambda user: pages_in_this_language(),
            depends_on=(PageViewRestriction,),
            same_for_everyone=True,
        )
        # Each app's `search.py` registers its indexes and visibility rules.
        autodiscover_modules("search")
        # Site search (issue 7): index updates through tasks.
        signals.connect()
