"""Tasks the fault tests enqueue: each leaves a mark a test can look for."""

import time

from django.utils import timezone
from django_tasks import task


@task()
def leave_mark(*, name: str) -> str:
    from core.models import HealthMark

    HealthMark.objects.update_or_create(name=name, defaults={"at": timezone.now()})
    return name


@task()
def hang(*, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.02)
