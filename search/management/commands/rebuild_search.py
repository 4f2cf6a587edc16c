"""Rebuild the search indexes: `manage.py rebuild_search`.

On Elasticsearch each index is filled anew behind its alias, which then swaps
in one request, so searching keeps working during the rebuild. On the database
engine it re-reads every document's text and refreshes the "did you mean"
vocabulary, and each registered index rebuilds what it keeps beside its rows
(the catalogue's narrow search rows).
"""

import sys

from django.core.management.base import BaseCommand

from search.registry import all_indexes, get_engine
from search.site import get_site_engine


class ProgressBar:
    """A one-line text progress bar on the command's output."""

    def __init__(self, stdout, label, width=30):
        self.stdout = stdout
        self.label = label
        self.width = width

    def __call__(self, done, total):
        total = max(total, done, 1)
        if done != total and done % 100:
            return
        filled = int(self.width * done / total)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stdout.write(f"\r{self.label:<14} [{bar}] {done}/{total}", ending="")
        self.stdout.flush()


class Command(BaseCommand):
    help = "Rebuild the search indexes (site search and each registered index)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            choices=["site", *(index.name for index in all_indexes())],
            help="Rebuild only this index.",
        )

    def handle(self, *args, only=None, **options):
        if only in (None, "site"):
            count = get_site_engine().rebuild(progress=ProgressBar(self.stdout, "site"))
            self.stdout.write(f"\nsite: {count} objects indexed.")
        for index in all_indexes():
            if only not in (None, index.name):
                continue
            engine = get_engine(index.name)
            count = engine.rebuild(progress=ProgressBar(self.stdout, index.name))
            self.stdout.write(f"\n{index.name}: {count} entries indexed.")
        sys.stdout.flush()
