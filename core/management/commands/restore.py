"""`manage.py restore DIR`: into a fresh database and empty file folders
(core.backup, docs/operations.md). Start it with the keys of the backup."""

from pathlib import Path

from django.core.management.base import BaseCommand

from core.backup import restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into a fresh database and folders."

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", type=Path)

    def handle(self, *, source: Path, **options) -> None:
        restore(source)
        self.stdout.write(f"Restored {source}.")
