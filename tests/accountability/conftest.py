import datetime
import itertools

import pytest
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent, ComplaintGround

_numbers = itertools.count(1)


def bulk_complaints(
    n,
    *,
    grounds=("sex",),
    field_of_life="employment",
    channel="online",
    status="submitted",
    year=None,
    month=3,
    decided_after_days=None,
):
    """`n` complaints written in bulk, submitted in `year`/`month` (local time)."""
    now = timezone.now()
    year = year or timezone.localdate().year
    complaints = [
        Complaint(
            reference=f"HR-{year}-{next(_numbers):06d}",
            description="x",
            consent_at=now,
            field_of_life=field_of_life,
            channel=channel,
        )
        for _ in range(n)
    ]
    Complaint.objects.bulk_create(complaints)
    ComplaintGround.objects.bulk_create(
        [ComplaintGround(complaint=c, code=code) for c in complaints for code in grounds]
    )
    created = timezone.make_aware(datetime.datetime(year, month, 10, 12))
    ids = [c.pk for c in complaints]
    Complaint.objects.filter(pk__in=ids).update(created_at=created, status=status)
    if decided_after_days is not None:
        ComplaintEvent.objects.bulk_create(
            [
                ComplaintEvent(
                    complaint=c, kind="transition", from_status="investigating", to_status="decided"
                )
                for c in complaints
            ]
        )
        # `at` is auto_now_add: set it afterwards (tests only; the app never updates events).
        from django.db import connection

        with connection.cursor() as cursor:
            table = ComplaintEvent._meta.db_table
            at = created + datetime.timedelta(days=decided_after_days)
            placeholders = ",".join(["%s"] * len(ids))
            cursor.execute(
                f"UPDATE {table} SET at = %s WHERE complaint_id IN ({placeholders})",  # noqa: S608
                [at, *[c.pk.hex if connection.vendor == "sqlite" else c.pk for c in complaints]],
            )
    return complaints


@pytest.fixture
def complaints_data(db):
    return bulk_complaints
