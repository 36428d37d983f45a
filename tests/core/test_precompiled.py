"""core.precompiled: a query the ORM compiles once, run with new values, gives
what the ORM's own query gives, on either database."""

import datetime
import uuid

import pytest
from django.utils import timezone

from consultations.models import Discussion
from core.precompiled import Precompiled

pytestmark = pytest.mark.django_db

MARK_KEY = uuid.UUID("00000000-0000-4000-8000-000000000001")
MARK_TIME = datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)


def _since(key, since):
    return Discussion.objects.filter(translation_key=key, created_at__gte=since).order_by("pk")


def test_the_same_rows_as_the_orm_with_uuid_and_datetime_values():
    rows = [Discussion.objects.create(translation_key=uuid.uuid4()) for _ in range(3)]
    query = Precompiled(_since, key=MARK_KEY, since=MARK_TIME)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    for row in rows:
        found = query.first(key=row.translation_key, since=an_hour_ago)
        assert found == _since(row.translation_key, an_hour_ago).first() == row
        assert found.translation_key == row.translation_key  # converted back to a UUID
        assert query.all(key=row.translation_key, since=an_hour_ago) == [row]
    later = timezone.now() + datetime.timedelta(hours=1)
    assert query.first(key=rows[0].translation_key, since=later) is None
    assert query.all(key=uuid.uuid4(), since=an_hour_ago) == []


def test_a_mark_the_query_does_not_hold_fails_at_once():
    query = Precompiled(lambda key: Discussion.objects.filter(translation_key=MARK_KEY), key="x")
    with pytest.raises(ValueError):
        query.first(key="x")


def test_built_once():
    built = []

    def build(key):
        built.append(key)
        return Discussion.objects.filter(translation_key=key)

    query = Precompiled(build, key=MARK_KEY)
    for _ in range(5):
        query.first(key=uuid.uuid4())
    assert built == [MARK_KEY]


def test_a_mark_the_query_holds_twice_fails_at_once():
    query = Precompiled(
        lambda key: (
            Discussion.objects.filter(translation_key=key)
            | Discussion.objects.filter(translation_key=key)
        ),
        key=MARK_KEY,
    )
    with pytest.raises(ValueError):
        query.first(key=uuid.uuid4())
