"""`manage.py task_worker`: the task worker that survives a lost database
connection and requeues stuck tasks (core.worker). Use it instead of
`db_worker` in every recipe (docs/operations.md)."""

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from core import worker


class Command(BaseCommand):
    help = "Run the background task worker; reconnects after database errors."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument("--queue-name", default="*", help="queues, comma-separated, or *")
        parser.add_argument("--worker-id", default=None, help="unique per worker process")

    def handle(self, *, interval: float, queue_name: str, worker_id: str | None, **options):
        worker_id = worker_id or get_random_string(24)
        self.stdout.write(f"Task worker {worker_id} started.")
        worker.run(worker_id=worker_id, interval=interval, queue_names=queue_name.split(","))
