"""Development: `make run`. DEBUG is on unless DJANGO_DEBUG says otherwise."""

import json
import secrets

from cryptography.fernet import Fernet

from .base import *  # noqa: F403
from .base import INSECURE_SECRET_KEY, VAR_DIR, env
from .security import require_production_secrets

DEBUG = env.bool("DJANGO_DEBUG", default=True)


def _local_dev_secrets() -> dict:
    """Random keys made once per checkout and kept in var/ (never committed)."""
    path = VAR_DIR / "dev-secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    data = {
        "secret_key": secrets.token_urlsafe(50),
        "encryption_key": Fernet.generate_key().decode(),
    }
    path.write_text(json.dumps(data))
    path.chmod(0o600)
    return data


if DEBUG:
    _dev = _local_dev_secrets()
    SECRET_KEY = env("DJANGO_SECRET_KEY", default=_dev["secret_key"])
    FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[_dev["encryption_key"]])
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    STORAGES = {  # noqa: F405
        **STORAGES,  # noqa: F405
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
else:
    require_production_secrets(
        secret_key=SECRET_KEY,  # noqa: F405
        insecure_key=INSECURE_SECRET_KEY,
        encryption_keys=FIELD_ENCRYPTION_KEYS,  # noqa: F405
    )
