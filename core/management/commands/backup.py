"""`manage.py backup DIR [--keys-to FILE]` (core.backup, docs/operations.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from core.backup import backup


class Command(BaseCommand):
    help = "Back up the database and the private and public files into a new folder."

    def add_arguments(self, parser) -> None:
        parser.add_argument("destination", type=Path, help="a folder that does not exist yet")
        parser.add_argument(
            "--keys-to", type=Path, default=None, help="also write the encryption keys here"
        )

    def handle(self, *, destination: Path, keys_to: Path | None, **options) -> None:
        backup(destination, keys_to=keys_to)
        self.stdout.write(f"Backup written to {destination}.")
        if keys_to:
            self.stdout.write(f"Keys written to {keys_to}: store them apart from the backup.")
