from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

# Each app that has demo content provides `<app>/seed.py` with `seed(stdout)`.
# They run in this order: later apps may link to pages the earlier ones made.
SEED_APPS = ["cms", "frameworks", "events", "community", "credentials", "search"]
# Then the French translations of the pages they made (issue 21): the core
# pages first (the French home page), then the apps' pages under it.
SEED_LAST = ["cms.seed_french", "frameworks.seed_french", "events.seed_french"]


class Command(BaseCommand):
    help = "Build the demo site from the programme's own texts (idempotent)."

    def handle(self, *args, **options):
        modules = []
        for label in SEED_APPS:
            if not apps.is_installed(label):
                continue
            try:
                modules.append((label, import_module(f"{label}.seed")))
            except ModuleNotFoundError as exc:
                if exc.name != f"{label}.seed":
                    raise
        modules += [
            (name, import_module(name))
            for name in SEED_LAST
            if apps.is_installed(name.split(".", 1)[0])
        ]
        for label, module in modules:
            # Seeding notifies nobody: workflow and welcome emails are dropped.
            with (
                override_settings(
                    EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
                ),
                transaction.atomic(),
            ):
                module.seed(self.stdout)
            self.stdout.write(f"Seeded {label}.")
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
