"""The test settings with the database task back-end, for a worker started in
its own process by the fault tests (keys, database and file folders come from
the test)."""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FIELD_ENCRYPTION_KEYS = os.environ["FIELD_ENCRYPTION_KEYS"].split(",")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", SECRET_KEY)  # noqa: F405
# A restored set-up reads its files where the drill put them.
if os.environ.get("PRIVATE_STORAGE_ROOT"):
    PRIVATE_STORAGE_ROOT = Path(os.environ["PRIVATE_STORAGE_ROOT"])
    MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])
# One connection held for the worker's life and used without a check, as a
# pooled connection is between two checks: a killed one fails the worker's
# next query, which is the fault the drill is about.
DATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405
