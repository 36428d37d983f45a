"""Deadline reminders, overdue escalations and the morning digests.

Run it from a scheduler every 15 minutes (cron, systemd timer). It is
idempotent: what it sent is recorded before it is sent, so running it twice,
or two runs at once, sends nothing twice. It prints references and usernames
only, never case text.
"""

from django.core.management.base import BaseCommand

from accountability.services import recommendations_escalate
from complaints.deadlines import casework_deadlines_run


class Command(BaseCommand):
    help = "Send deadline reminders, overdue escalations and the caseworkers' morning digests."

    def handle(self, *args, **options):
        run = casework_deadlines_run()
        late_recommendations = recommendations_escalate()
        for reference, username in run.reminded:
            self.stdout.write(f"reminded: {reference} → {username}")
        for reference, username in run.escalated:
            self.stdout.write(f"escalated: {reference} → {username}")
        for username in run.digests:
            self.stdout.write(f"digest: {username}")
        for pk in late_recommendations:
            self.stdout.write(f"escalated: recommendation {pk}")
        self.stdout.write(
            f"{len(run.reminded)} reminders, {len(run.escalated)} escalations, "
            f"{len(run.digests)} digests, {len(late_recommendations)} late recommendations."
        )
