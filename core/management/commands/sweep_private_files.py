"""manage.py sweep_private_files: remove private files that no database row
references any more (left by a crash or an outer rollback). Run it from a
scheduler; files younger than the grace period are never touched, because
their transaction may still be running."""

from django.core.management.base import BaseCommand

from core.private_storage import private_file_sweep


class Command(BaseCommand):
    help = "Delete unreferenced private files older than the grace period."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=60)

    def handle(self, *args, older_than_minutes, **options):
        deleted = private_file_sweep(older_than_seconds=older_than_minutes * 60)
        self.stdout.write(f"{deleted} unreferenced private file(s) deleted.")
