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
    """A one-line text progress bar per kind on the command's output."""

    def __init__(self, stdout, label, width=30):
        self.stdout = stdout
        self.label = label
        self.width = width
        self.current = None

    def __call__(self, done, total, kind=None):
        label = f"{self.label}: {kind}" if kind else self.label
        if label != self.current:
            if self.current is not None:
                self.stdout.write("")  # the previous kind's bar stays
            self.current = label
        total = max(total, done, 1)
        if done != total and done % 100:
            return
        filled = int(self.width * done / total)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stdout.write(f"\r{label:<24} [{bar}] {done}/{total}", ending="")
        self.stdout.flush()


def describe(count):
    """'12 pages, 3 documents' for a count per kind, or the number."""
    if isinstance(count, dict):
        return ", ".join(f"{n} {kind}" for kind, n in count.items())
    return str(count)


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
            self.stdout.write(f"\nsite: {describe(count)} indexed.")
        for index in all_indexes():
            if only not in (None, index.name):
                continue
            engine = get_engine(index.name)
            count = engine.rebuild(progress=ProgressBar(self.stdout, index.name))
            self.stdout.write(f"\n{index.name}: {describe(count)} entries indexed.")
        sys.stdout.flush()
