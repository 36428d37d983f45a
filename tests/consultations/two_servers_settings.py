"""The test settings for uvicorn processes started by test_two_servers.py: the
secret key, encryption keys and Redis prefixes come from the test process, so
that its sessions are valid on both servers and both share one cache and one
channel layer, as machines behind a proxy do."""

import os

from config.settings.test import *  # noqa: F403

SECRET_KEY = os.environ["HRC_SHARED_SECRET_KEY"]
FIELD_ENCRYPTION_KEYS = os.environ["FIELD_ENCRYPTION_KEYS"].split(",")
CACHES["default"]["KEY_PREFIX"] = os.environ["HRC_SHARED_CACHE_PREFIX"]  # noqa: F405
CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = os.environ["HRC_SHARED_CHANNEL_PREFIX"]  # noqa: F405
