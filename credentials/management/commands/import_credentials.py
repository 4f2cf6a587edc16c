from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from credentials.services import ImportFailed, import_credentials, parse_file


class Command(BaseCommand):
    help = (
        "Import catalogue entries from a CSV or JSON file: all rows or none. "
        "The columns are described in credentials/services.py and the README."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .json file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")

        def progress(done, total, stage):
            self.stdout.write(f"  {done:,} of {total:,} rows {stage}")

        try:
            rows = parse_file(path.read_bytes(), path.name)
            report = import_credentials(rows=rows, progress=progress)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(report.message))
