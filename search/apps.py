from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        # Site search (issue 7): index updates through tasks.
        from . import signals

        signals.connect()
