"""Topics (indicator areas) as followed things: a new measured value is news
for their followers, and comes in their digest."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from accountability.models import IndicatorValue
from core import services
from core.models import FollowNews, Notification
from tests import factories
from tests.accountability.conftest import make_indicator

pytestmark = pytest.mark.django_db


def test_a_new_value_is_news_for_the_topic_followers(django_capture_on_commit_callbacks):
    indicator = make_indicator("EQ-07")
    area = indicator.area
    now, daily = factories.resident(), factories.resident(email="d@example.org",
                                                          preferred_language="en")  # fmt: skip
    for person in (now, daily):
        services.follow_add(user=person, target="topic", object_id=area.pk)
    services.preference_set(user=daily, kind="topic", frequency="daily", in_app=False, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        value = IndicatorValue.objects.create(indicator=indicator, year=2030, value=Decimal("70"))
        value.save()  # a later save of the same value is no news
    [news] = FollowNews.objects.filter(key=f"indicator-value:{value.pk}")
    assert news.payload == {"indicator": "EQ-07", "year": 2030, "value": "70"}
    [told] = Notification.objects.filter(user=now, kind="follows.indicator_measured")
    assert "EQ-07" in told.message and told.url.endswith("/indicators/EQ-07/")
    assert not Notification.objects.filter(user=daily).exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", period="daily", stdout=StringIO())
    [digest] = mail.outbox
    assert "== Topic: Equality ==" in digest.body
    assert "New figure: EQ-07, 2030: 70." in digest.body
    assert "/en/accountability/indicators/EQ-07/" in digest.body
