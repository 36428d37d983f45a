"""The test settings with the database task back-end, for a worker started in
its own process by the fault tests (keys and database come from the test)."""

import os

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FIELD_ENCRYPTION_KEYS = os.environ["FIELD_ENCRYPTION_KEYS"].split(",")
