"""Close petitions past their closing date and resume answer notices that a
failed batch left undone. Safe to run as often as you like (cron, systemd timer)."""

from django.core.management.base import BaseCommand

from petitions import services
from petitions.tasks import notify_signers


class Command(BaseCommand):
    help = "Close open petitions past their closing date; resume unfinished answer notices."

    def handle(self, *args, **options) -> None:
        closed = services.petitions_close_expired()
        pending = services.petitions_with_pending_notices()
        for petition_id in pending:
            notify_signers.enqueue(petition_id=petition_id)
        self.stdout.write(
            f"Closed {closed} petition(s); resumed notices for {len(pending)} petition(s)."
        )
