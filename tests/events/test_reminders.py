"""Reminders the day before an event, and the minutes published afterwards."""

import datetime
import itertools
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from core import services as core_services
from core.models import Notification
from events import services
from events.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db


_emails = itertools.count()


def _day_before(event):
    """Noon of the day before the event (the site's time zone)."""
    day = timezone.localdate(event.starts_at) - datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _register(event, n, **user):
    people = [factories.resident(email=f"p{next(_emails)}@example.org", **user) for _ in range(n)]
    for person in people:
        services.registration_create(event=event, user=person)
    return people


def test_registered_people_are_reminded_once_waiting_people_not(settings, make_event):
    settings.SITE_URL = "http://127.0.0.1:8150"
    event = make_event(capacity=2, days=1, title="공청회: 장애인 이동권 조례안")
    seated = _register(event, 2)
    waiting = _register(event, 1)  # the third waits
    later = make_event(capacity=5, days=3)
    _register(later, 1)
    day_before = _day_before(event)
    out = StringIO()
    assert services.reminders_send(now=day_before) == 2
    assert {m.to[0] for m in mail.outbox} == {p.email for p in seated}
    body = mail.outbox[0].body
    assert "공청회: 장애인 이동권 조례안" in body and "City Hall, room 1" in body
    assert "http://127.0.0.1:8150/ko/" in body and "/calendar.ics" in body
    assert "/ko/unsubscribe/" in body
    assert Notification.objects.filter(kind="events.reminder").count() == 2
    assert not Notification.objects.filter(user=waiting[0], kind="events.reminder").exists()
    # Run again (the command, hourly): nothing twice.
    call_command("send_event_reminders", stdout=out)
    assert services.reminders_send(now=day_before) == 0
    assert len(mail.outbox) == 2
    assert Registration.objects.filter(reminded_at__isnull=False).count() == 2


def test_reminder_in_the_readers_language_and_opt_out(make_event):
    event = make_event(capacity=5, days=1, title="공청회")
    english = event.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = "Public hearing"
    english.save_revision().publish()
    [reader] = _register(event, 1, preferred_language="en")
    [quiet] = _register(event, 1)
    quiet.email = "quiet@example.org"
    quiet.save()
    core_services.preference_set(user=quiet, kind="event_reminder", frequency="never")
    services.reminders_send(now=_day_before(event))
    [message] = mail.outbox
    assert message.to == [reader.email]
    assert message.subject == "Tomorrow: Public hearing"
    assert "/en/" in message.body and "/en/unsubscribe/" in message.body
    # The one who opted out of e-mail is still reminded in-app.
    assert Notification.objects.filter(user=quiet, kind="events.reminder").exists()


def test_reminders_go_in_batches_with_bounded_queries(make_event):
    event = make_event(capacity=20, days=1)
    _register(event, 7)
    now = _day_before(event)
    services.reminders_send_batch(now=now, size=1)  # warm the site's caches
    counts = []
    for size in (2, 4):
        with CaptureQueriesContext(connection) as queries:
            assert services.reminders_send_batch(now=now, size=size) == size
        counts.append(len(queries))
    # A fixed few, and one row written per person reminded (the notification).
    assert counts[1] - counts[0] == 2


def test_nothing_the_day_before_is_too_early_or_late(make_event):
    event = make_event(capacity=5, days=1)
    _register(event, 1)
    assert services.reminders_send(now=event.starts_at - datetime.timedelta(days=3)) == 0
    assert services.reminders_send(now=event.starts_at + datetime.timedelta(hours=1)) == 0
    assert not mail.outbox


def test_minutes_are_shown_after_the_event(client_for, make_event):
    event = make_event(capacity=5, days=1)
    event.minutes = "<p>The draft was read section by section.</p>"
    event.minutes_url = "https://video.example.org/hearing"
    event.save_revision().publish()
    html = client_for(None).get(event.url).content.decode()
    assert "section by section" not in html and "video.example.org" not in html
    event.refresh_from_db()
    event.starts_at = timezone.now() - datetime.timedelta(hours=3)
    event.ends_at = timezone.now() - datetime.timedelta(hours=1)
    event.save_revision().publish()
    html = client_for(None).get(event.url).content.decode()
    assert "section by section" in html and "https://video.example.org/hearing" in html
