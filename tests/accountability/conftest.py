import datetime
import itertools

import pytest
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent, grounds_seal

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
            sealed_grounds=grounds_seal(grounds),
        )
        for _ in range(n)
    ]
    Complaint.objects.bulk_create(complaints)
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


def make_indicator(code="EQ-01", *, live=True, grounds=("disability",), **kwargs):
    from decimal import Decimal

    from accountability.models import (
        Indicator,
        IndicatorArea,
        IndicatorGround,
        IndicatorTarget,
        IndicatorValue,
    )

    area, _ = IndicatorArea.objects.get_or_create(
        slug="equality", defaults={"title_ko": "평등", "title_en": "Equality"}
    )
    indicator = Indicator.objects.create(
        code=code,
        area=area,
        title_ko=kwargs.pop("title_ko", "편의시설 기준 충족 비율"),
        title_en=kwargs.pop("title_en", "Buildings meeting accessibility standards"),
        unit_ko="%",
        unit_en="%",
        definition_ko="시 소유 건물 중 기준을 충족한 비율",
        definition_en="Share of city buildings meeting the standards",
        baseline_year=2025,
        baseline_value=Decimal("61"),
        live=live,
        **kwargs,
    )
    for i, v in enumerate([66, 72, 80, 88, 95]):
        IndicatorTarget.objects.create(indicator=indicator, year=2026 + i, value=v)
    IndicatorValue.objects.create(
        indicator=indicator, year=2026, value=Decimal("67.5"), source_en="Survey", source_ko="조사"
    )
    for g in grounds:
        IndicatorGround.objects.create(indicator=indicator, code=g)
    return indicator


def make_recommendation(*, title_en="Ramps at community centres", published=True, **kwargs):
    import datetime

    from accountability.models import Department, Recommendation

    department, _ = Department.objects.get_or_create(
        code=kwargs.pop("department_code", "welfare"),
        defaults={"name_ko": "복지정책과", "name_en": "Welfare Policy Division"},
    )
    defaults = {
        "title_ko": "주민센터 경사로",
        "text_ko": "모든 주민센터에 경사로를 설치할 것을 권고합니다.",
        "text_en": "We recommend ramps at every community centre.",
        "ground": "disability",
        "issued_at": datetime.date(2026, 3, 1),
        "response_due": datetime.date(2026, 5, 1),
    }
    defaults.update(kwargs)
    return Recommendation.objects.create(
        department=department, title_en=title_en, published=published, **defaults
    )


def make_decision(*, state="published", title_en="Refused a flat because of age", **kwargs):
    import datetime

    from accountability.models import Decision

    decision = Decision(
        state=state,
        title_en=title_en,
        title_ko=kwargs.pop("title_ko", "나이를 이유로 한 임대 거절"),
        summary_en="A landlord refused an older tenant.",
        summary_ko="임대인이 나이 많은 임차인을 거절하였습니다.",
        easy_read_en="They said no because of age. That is wrong.",
        easy_read_ko="나이 때문에 거절했습니다. 이것은 차별입니다.",
        body_en="Body.",
        body_ko="본문.",
        field_of_life=kwargs.pop("field_of_life", "housing"),
        outcome=kwargs.pop("outcome", "upheld"),
        decided_on=kwargs.pop("decided_on", datetime.date(2026, 6, 1)),
        **kwargs,
    )
    decision.grounds = ["age"]
    decision.save()
    return decision
