"""Load the demo data (CONTRACT.md section 2). Development only; idempotent.

Each app contributes through a `demo.py` module with a `seed(*, stdout)`
function; they run in dependency order.
"""

from importlib import import_module, util

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

APPS_IN_ORDER = [
    "accounts",
    "cms",
    "consultations",
    "petitions",
    "complaints",
    "accountability",
    "events",
]


class Command(BaseCommand):
    help = "Create the demo accounts, pages, consultations, petitions and complaints."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run with DJANGO_DEBUG off: demo accounts have a "
                "public password and must never exist in production."
            )
        for app in APPS_IN_ORDER:
            if util.find_spec(f"{app}.demo") is None:
                continue
            module = import_module(f"{app}.demo")
            with transaction.atomic():
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
