"""`symposia worker`: run background tasks (mail, PDFs) and resend due outbox mail."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from symposia.common.mail import send_due


class Command(BaseCommand):
    help = "Run the background task worker (django-tasks database backend)."

    def handle(self, *args, **options):
        sent = send_due()
        if sent:
            self.stdout.write(f"Sent {sent} queued mail(s) from the outbox.")
        call_command("db_worker", *args)
