"""Refuse to start with an insecure configuration (CONTRACT.md section 1)."""

from django.core.exceptions import ImproperlyConfigured


def require_production_secrets(*, secret_key: str, insecure_key: str, encryption_keys) -> None:
    """Raise unless the secret key and field-encryption keys are real."""
    problems = []
    if not secret_key or secret_key == insecure_key or len(secret_key) < 50:
        problems.append("DJANGO_SECRET_KEY must be set to a random value of 50+ characters")
    if not encryption_keys:
        problems.append("FIELD_ENCRYPTION_KEYS must list at least one Fernet key")
    else:
        # Late: a settings module imports no app code while settings load.
        from core.crypto import validate_keys

        try:
            validate_keys(encryption_keys)
        except ValueError as exc:
            problems.append(f"FIELD_ENCRYPTION_KEYS is invalid: {exc}")
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start with DJANGO_DEBUG off: " + "; ".join(problems) + "."
        )
