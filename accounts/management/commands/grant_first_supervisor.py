"""Make the office's first supervisor, on the server. Refused once any
supervisor holds a confirmed grant: from then on two supervisors decide."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import first_supervisor_grant
from core.errors import Refused


class Command(BaseCommand):
    help = "Grant the supervisor role to USERNAME when the office has no supervisor yet."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account named {username!r}.")
        try:
            first_supervisor_grant(user=user)
        except Refused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{username} is now a supervisor (recorded in the security log).")
