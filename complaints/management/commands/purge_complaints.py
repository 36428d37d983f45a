"""Retention: purge closed, rejected, referred and withdrawn complaints.

Run it daily from a scheduler (cron, systemd timer): it warns the supervisors
COMPLAINTS_PURGE_WARNING_DAYS before a case is due, once, and deletes cases
due after COMPLAINTS_RETENTION_DAYS since their last state change. Exit code 0;
it prints references only, never case text.
"""

from django.core.management.base import BaseCommand

from complaints.services import complaints_purge


class Command(BaseCommand):
    help = "Warn about and purge complaints past their retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        run = complaints_purge(dry_run=dry_run)
        prefix = "[dry run] " if dry_run else ""
        for reference in run.warned:
            self.stdout.write(f"{prefix}warned: {reference}")
        for reference in run.purged:
            self.stdout.write(f"{prefix}purged: {reference}")
        self.stdout.write(f"{prefix}{len(run.warned)} warned, {len(run.purged)} purged.")
