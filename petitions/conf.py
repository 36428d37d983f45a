"""The petitions settings and their defaults. Each can be overridden in the
Django settings; they are read on every use so tests can change them."""

from django.conf import settings


def threshold() -> int:
    """Signatures that earn an official answer (UK Parliament uses 10,000)."""
    return int(getattr(settings, "PETITIONS_THRESHOLD", 1000))


def response_days() -> int:
    """Days the office has to answer once the threshold is reached."""
    return int(getattr(settings, "PETITIONS_RESPONSE_DAYS", 30))


def open_days() -> int:
    """How long a published petition collects signatures."""
    return int(getattr(settings, "PETITIONS_OPEN_DAYS", 90))


def notify_batch_size() -> int:
    """Signers told about an answer per background task."""
    return int(getattr(settings, "PETITIONS_NOTIFY_BATCH_SIZE", 500))
