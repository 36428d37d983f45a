"""Recompute the public complaint statistics now and store the snapshot every
reader is served (accountability.statistics). Safe to run as often as you
like (cron, systemd timer); it reads and decrypts every complaint, about a
minute at a million, so every 10 minutes at most."""

from django.core.management.base import BaseCommand

from accountability import statistics


class Command(BaseCommand):
    help = "Recompute the public complaint statistics and store the snapshot readers get."

    def handle(self, *args, **options) -> None:
        stats = statistics.refresh()
        self.stdout.write(f"Complaint statistics refreshed ({len(stats.years)} year(s)).")
