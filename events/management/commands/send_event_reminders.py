"""`manage.py send_event_reminders`: remind the people registered for
tomorrow's events (not those waiting), each once, in their language. Run it
every hour (docs/operations.md); a rerun sends nothing twice."""

from django.core.management.base import BaseCommand

from events.services import reminders_send


class Command(BaseCommand):
    help = "Remind people registered for events that start tomorrow (idempotent)."

    def handle(self, **options) -> None:
        self.stdout.write(f"{reminders_send()} reminders sent.")
