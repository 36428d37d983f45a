"""Production: everything from the environment; refuses to start insecurely."""

from .base import *  # noqa: F403
from .base import INSECURE_SECRET_KEY, env
from .security import require_production_secrets

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if not DEBUG:
    require_production_secrets(
        secret_key=SECRET_KEY,  # noqa: F405
        insecure_key=INSECURE_SECRET_KEY,
        encryption_keys=FIELD_ENCRYPTION_KEYS,  # noqa: F405
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
