"""`manage.py prune_tasks`: delete finished task rows (and their run records)
older than `--days`, and the check-ins of workers gone for a day. Daily, from
cron or a systemd timer (docs/operations.md)."""

from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.models import HealthMark, TaskRun


class Command(BaseCommand):
    help = "Delete finished task results, task run records and stale worker check-ins."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=14, help="keep finished rows this long")

    def handle(self, *, days: int, **options) -> None:
        call_command(
            "prune_db_task_results",
            queue_name="*",
            min_age_days=days,
            verbosity=options["verbosity"],
            stdout=self.stdout,
        )
        now = timezone.now()
        runs, _ = TaskRun.objects.filter(at__lt=now - timedelta(days=days)).delete()
        workers, _ = HealthMark.objects.filter(
            name__startswith="worker:", at__lt=now - timedelta(days=1)
        ).delete()
        self.stdout.write(f"Deleted {runs} task run records and {workers} old worker check-ins.")
