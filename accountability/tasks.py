"""Background work for accountability (django-tasks)."""

from django_tasks import task

from . import statistics


@task()
def refresh_statistics() -> int:
    """Recompute the public complaint statistics unless a fresh snapshot is
    already stored (a second queued copy then does nothing). 1 if computed."""
    return statistics.refresh_if_stale()
