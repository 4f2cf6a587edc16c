"""Large generated data for the benchmarks.

Each app that has benchmark data provides `<app>/bench.py` with
`seed_bench(count, stdout)` and is listed in BENCH_APPS; the command then takes
`--<app> N`. Only the apps given on the command line are (re)generated.
"""

from importlib import import_module

from django.core.management.base import BaseCommand, CommandError

# app label -> what its count means, for --help
BENCH_APPS = {
    "credentials": "catalogue entries (e.g. 100000)",
}


class Command(BaseCommand):
    help = "Generate large benchmark data, e.g. seed_bench --credentials 100000."

    def add_arguments(self, parser):
        for label, meaning in BENCH_APPS.items():
            parser.add_argument(
                f"--{label}", type=int, default=None, metavar="N", help=meaning
            )

    def handle(self, *args, **options):
        chosen = {
            label: options[label]
            for label in BENCH_APPS
            if options.get(label) is not None
        }
        if not chosen:
            raise CommandError(
                "Say what to generate, e.g. "
                + " ".join(f"--{label} N" for label in BENCH_APPS)
            )
        for label, count in chosen.items():
            if count < 0:
                raise CommandError(f"--{label} must be 0 or more.")
            import_module(f"{label}.bench").seed_bench(count, self.stdout)
        self.stdout.write(self.style.SUCCESS("Benchmark data is ready."))
