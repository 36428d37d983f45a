"""`manage.py send_digests`: publish the news that comes from the clock
(consultations opening and closing), then start the daily digests, and on the
first run of a week the weekly ones. Run it every hour from cron or a systemd
timer (docs/operations.md): a day's (or week's) digests start once; a rerun
only picks up a run whose chain of batches stopped, from its cursor, and a
batch that already ran does nothing. It enqueues one task, the first batch;
the task worker does the rest, one task per batch of recipients."""

from django.core.management.base import BaseCommand

from core import follows
from core.digests import digest_run_start
from core.models import Frequency
from core.tasks import send_digest_batch


class Command(BaseCommand):
    help = "Publish scheduled news and start the daily and weekly digests (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--period",
            choices=["daily", "weekly", "all"],
            default="all",
            help="which digests to start (default: both)",
        )

    def handle(self, *, period: str, **options) -> None:
        found = follows.news_scan()
        periods = [Frequency.DAILY, Frequency.WEEKLY] if period == "all" else [period]
        for name in periods:
            run, created = digest_run_start(period=name)
            if run.finished_at is not None:
                self.stdout.write(
                    f"{name} digests of {run.period_start}: already sent ({run.sent})."
                )
                continue
            send_digest_batch.enqueue(run_id=run.pk, after=run.cursor)
            run.refresh_from_db()
            state = "started" if created else "resumed"
            self.stdout.write(f"{name} digests of {run.period_start}: {state}.")
        self.stdout.write(f"{found} scheduled news items published.")
