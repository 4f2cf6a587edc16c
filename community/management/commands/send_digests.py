from django.core.management.base import BaseCommand

from community.tasks import send_digests


class Command(BaseCommand):
    help = "Send the daily community digest to members who chose it (run daily)."

    def handle(self, *args, **options):
        result = send_digests.enqueue()
        self.stdout.write(f"Digest task enqueued ({result.id}).")
