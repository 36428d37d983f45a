"""`manage.py prune_tasks`: delete finished task rows (and their run records)
and the check-ins of workers gone for a day. Daily, from cron or a systemd
timer (docs/operations.md).

Task rows go through `core.services.task_results_prune`, the same function the
complaint purge calls, so there is one retention rule for them:
settings.TASK_RESULTS_KEEP_HOURS (24 hours), unless `--days` asks otherwise.
Their arguments and tracebacks need not outlive the work."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.models import HealthMark, TaskRun
from core.services import task_results_prune


class Command(BaseCommand):
    help = "Delete finished task results, task run records and stale worker check-ins."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="keep finished rows this many days (default: TASK_RESULTS_KEEP_HOURS, 24 hours)",
        )

    def handle(self, *, days: int | None, **options) -> None:
        keep = (
            timedelta(days=days)
            if days is not None
            else timedelta(hours=getattr(settings, "TASK_RESULTS_KEEP_HOURS", 24))
        )
        tasks = task_results_prune(older_than=keep)
        now = timezone.now()
        runs, _ = TaskRun.objects.filter(at__lt=now - keep).delete()
        workers, _ = HealthMark.objects.filter(
            name__startswith="worker:", at__lt=now - timedelta(days=1)
        ).delete()
        self.stdout.write(
            f"Deleted {tasks} finished task rows, {runs} task run records "
            f"and {workers} old worker check-ins."
        )
