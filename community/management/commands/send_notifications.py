from django.core.management.base import BaseCommand

from community.tasks import send_notification_emails


class Command(BaseCommand):
    help = (
        "Send the immediate community emails that are due, one per member and "
        "thread (run every minute when the task backend cannot defer tasks)."
    )

    def handle(self, *args, **options):
        result = send_notification_emails.enqueue()
        self.stdout.write(f"Notification task enqueued ({result.id}).")
