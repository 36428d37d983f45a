"""News of followed things and the daily and weekly digests (issue 20):
through the services, the preferences page, the unsubscribe link and
`manage.py send_digests`."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import services as consultation_services
from core import digests, follows, services
from core.models import DigestRun, DigestSent, FollowNews, Notification, NotificationPreference
from petitions import services as petition_services
from petitions.models import Petition
from tests import factories
from tests.petitions.factories import PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def now_runs(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (the batched tasks) of what the block does."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _follower(consultation, *, frequency="now", in_app=True, by_email=False, **user):
    person = factories.resident(**user)
    services.follow_add(user=person, target="consultation", object_id=consultation.pk)
    services.preference_set(
        user=person, kind="consultation", frequency=frequency, in_app=in_app, email=by_email
    )
    return person


def _propose(consultation, author=None, title="Ramps at every bus stop"):
    return consultation_services.proposal_create(
        page=consultation, author=author or factories.resident(), title=title, body="Please."
    )


def _digests(period="daily"):
    out = StringIO()
    call_command("send_digests", period=period, stdout=out)
    return out.getvalue()


# --- as it happens --------------------------------------------------------------------


def test_a_new_proposal_is_news_for_those_who_want_it_now(consultation, now_runs):
    in_app = _follower(consultation)
    by_mail = _follower(
        consultation, in_app=False, by_email=True, email="now@example.org", preferred_language="en"
    )
    daily = _follower(consultation, frequency="daily", by_email=True, email="daily@example.org")
    never = _follower(consultation, frequency="never")
    with now_runs():
        proposal = _propose(consultation, author=in_app)  # the author is not told of their own
        other = _propose(consultation, title="Braille menus")
    told = Notification.objects.filter(kind="follows.proposal_new")
    assert [n.payload["proposal"] for n in told.filter(user=in_app)] == [other.pk]
    assert not told.filter(user__in=[by_mail, daily, never]).exists()
    assert [m.to for m in mail.outbox] == [["now@example.org"], ["now@example.org"]]
    body = mail.outbox[0].body
    assert "New proposal in" in body and proposal.title in body  # English, the reader's
    assert "http://testserver" not in body and "/en/unsubscribe/" in body
    assert FollowNews.objects.filter(target="consultation").count() == 2  # once per thing


def test_news_is_stored_once_however_often_it_is_published(consultation, now_runs):
    person = _follower(consultation)
    for _ in range(2):
        with now_runs():
            follows.news_publish(
                key="consultation:x:closed",
                target="consultation",
                object_ids=[consultation.pk],
                kind="follows.consultation_closed",
            )
    assert FollowNews.objects.count() == 1
    assert Notification.objects.filter(user=person, kind="follows.consultation_closed").count() == 1


def test_followers_are_told_in_batches_not_one_task_each(settings, consultation, now_runs):
    from django_tasks.signals import task_finished

    settings.FOLLOW_BATCH_SIZE = 2
    people = [_follower(consultation) for _ in range(5)]
    runs = []
    receiver = lambda sender, task_result, **kw: runs.append(task_result.task.name)  # noqa: E731
    task_finished.connect(receiver, weak=False)
    try:
        with now_runs():
            _propose(consultation)
    finally:
        task_finished.disconnect(receiver)
    assert runs.count("deliver_news") == 3  # 5 people, 2 a batch
    assert Notification.objects.filter(kind="follows.proposal_new", user__in=people).count() == 5


def test_a_petition_answer_reaches_followers_not_signers_twice(supervisor, now_runs):
    petition = PetitionFactory(status=Petition.Status.AWAITING_RESPONSE)
    follower, signer = factories.resident(), factories.resident()
    for person in (follower, signer):
        services.follow_add(user=person, target="petition", object_id=petition.pk)
    SignatureFactory(petition=petition, user=signer)
    with now_runs():
        petition_services.petition_answer(petition=petition, user=supervisor, answer="Yes.")
    told = Notification.objects.filter(kind="petition.answered")
    assert told.filter(user=follower).count() == 1
    assert told.filter(user=signer).count() == 1  # as a signer only


def test_reaching_the_threshold_is_news_for_followers(settings, now_runs):
    petition = PetitionFactory(threshold=1)
    follower = factories.resident()
    services.follow_add(user=follower, target="petition", object_id=petition.pk)
    with now_runs():
        petition_services.petition_sign(petition=petition, user=factories.resident())
        # The threshold moves when the task worker folds the count in (issue 21).
        petition_services.petition_fold(petition_id=petition.pk)
    assert Notification.objects.filter(user=follower, kind="follows.petition_threshold").exists()


def test_consultation_phases_come_from_the_scan_once(make_consultation, now_runs):
    closed = make_consultation("closed")  # closed yesterday
    person = _follower(closed)
    for _ in range(2):
        with now_runs():
            follows.news_scan()
    assert FollowNews.objects.filter(kind="follows.consultation_closed").count() == 1
    assert Notification.objects.filter(user=person, kind="follows.consultation_closed").count() == 1


# --- digests ---------------------------------------------------------------------------


def test_daily_digest_grouped_in_the_readers_language_once(settings, make_consultation, now_runs):
    settings.SITE_URL = "http://127.0.0.1:8150"
    first, second = (
        make_consultation(title="Ordinance on ramps"),
        make_consultation(title="Plan for braille"),
    )
    reader = _follower(first, frequency="daily", by_email=True, email="r@example.org",
                       preferred_language="en")  # fmt: skip
    services.follow_add(user=reader, target="consultation", object_id=second.pk)
    quiet = _follower(make_consultation(), frequency="daily", by_email=True, email="q@example.org")
    with now_runs():
        _propose(first, title="Ramps at the library")
        _propose(second, title="Braille on buses")
        _propose(first, title="Ramps at the pool")
    assert not mail.outbox  # daily: nothing now
    with now_runs():
        output = _digests()
    assert "daily digests" in output
    [message] = mail.outbox  # the quiet follower's would be empty: none is sent
    assert message.to == ["r@example.org"]
    assert message.subject == "Your daily news: 3 updates on what you follow"
    body = message.body
    assert body.index("Ordinance on ramps") < body.index("Ramps at the library")
    assert body.index("Ramps at the pool") < body.index("Plan for braille")
    assert body.index("Plan for braille") < body.index("Braille on buses")
    assert "== Consultation: Ordinance on ramps ==" in body
    assert "http://127.0.0.1:8150/" in body and "/en/unsubscribe/" in body
    assert "New proposal: “Ramps at the library”." in body
    assert not DigestSent.objects.filter(user=quiet).exists()
    assert Notification.objects.filter(user=reader, kind="follows.digest").count() == 1
    # Run again (the same day, or a retried batch): nothing is sent twice.
    with now_runs():
        assert "already sent" in _digests()
    run = DigestRun.objects.get(period="daily")
    with now_runs():
        assert digests.digest_batch(run_id=run.pk, after=0) is None
    assert len(mail.outbox) == 1


def test_korean_digest_for_a_korean_reader(consultation, now_runs):
    _follower(consultation, frequency="daily", by_email=True, email="k@example.org",
              preferred_language="ko")  # fmt: skip
    with now_runs():
        _propose(consultation)
        _digests()
    [message] = mail.outbox
    assert "/ko/unsubscribe/" in message.body
    assert "Your daily news" not in message.subject and "Here is today" not in message.body


def test_the_next_digest_holds_only_what_is_new(consultation, now_runs):
    reader = _follower(consultation, frequency="daily", by_email=True, email="r@example.org")
    with now_runs():
        _propose(consultation, title="First idea")
        _digests()
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with now_runs():
        follows.news_publish(key="later", target="consultation", object_ids=[consultation.pk],
                             kind="follows.proposal_new", payload={"title": "Second idea"},
                             at=tomorrow - datetime.timedelta(hours=1))  # fmt: skip
        run, created = digests.digest_run_start(period="daily", now=tomorrow)
        assert created
        digests.digest_batch(run_id=run.pk, after=0)
    assert len(mail.outbox) == 2
    assert "Second idea" in mail.outbox[1].body and "First idea" not in mail.outbox[1].body
    assert DigestSent.objects.filter(user=reader).count() == 2


def test_weekly_digest(consultation, now_runs):
    _follower(consultation, frequency="weekly", by_email=True, email="w@example.org",
              preferred_language="en")  # fmt: skip
    _follower(consultation, frequency="daily", by_email=True, email="d@example.org")
    with now_runs():
        _propose(consultation)
        _digests(period="weekly")
    [message] = mail.outbox
    assert message.to == ["w@example.org"] and message.subject.startswith("Your weekly news")


def test_digest_batches_are_few_and_their_queries_bounded(settings, consultation, now_runs):
    from django_tasks.signals import task_finished

    settings.FOLLOW_BATCH_SIZE = 3
    for n in range(7):
        _follower(consultation, frequency="daily", by_email=True, email=f"p{n}@example.org")
    with now_runs():
        _propose(consultation)
    runs = []
    receiver = lambda sender, task_result, **kw: runs.append(task_result.task.name)  # noqa: E731
    task_finished.connect(receiver, weak=False)
    try:
        with now_runs():
            _digests()
    finally:
        task_finished.disconnect(receiver)
    assert len(mail.outbox) == 7
    assert runs.count("send_digest_batch") == 3  # ceil(7 / 3)
    assert runs.count("send_emails") == 3  # one e-mail task per batch
    # The queries of one batch do not grow with its size.
    run, _ = digests.digest_run_start(
        period="daily", now=timezone.now() + datetime.timedelta(days=1)
    )
    counts = []
    for size in (1, 5):
        DigestSent.objects.all().delete()
        run.cursor, run.finished_at = 0, None
        run.save()
        with CaptureQueriesContext(connection) as queries:
            digests.digest_batch(run_id=run.pk, after=0, size=size)
        counts.append(len(queries))
    assert counts[1] <= counts[0] + 2 * 5  # one notification per digest at most beyond a fixed few
    with CaptureQueriesContext(connection) as queries:
        digests.digest_recipient_ids(period="daily", after=0, size=500)
    assert len(queries) == 1


def test_digest_queries_fixed_apart_from_the_rows_written(settings, consultation, now_runs):
    for n in range(6):
        _follower(consultation, frequency="daily", in_app=False, by_email=True, email=f"p{n}@x.org")
    with now_runs():
        _propose(consultation)
    runs = []
    for size in (2, 6):
        DigestSent.objects.all().delete()
        run, _ = digests.digest_run_start(period="daily")
        run.cursor, run.finished_at = 0, None
        run.save()
        with CaptureQueriesContext(connection) as queries:
            digests.digest_batch(run_id=run.pk, after=0, size=size)
        runs.append(len(queries))
    assert runs[0] == runs[1]  # e-mail only: no per-person query


def test_unsubscribe_from_a_digest_without_signing_in(client_for, consultation, now_runs):
    reader = _follower(consultation, frequency="daily", by_email=True, email="r@example.org")
    with now_runs():
        _propose(consultation)
        _digests()
    link = re.search(r"https?://\S+/unsubscribe/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    anonymous = client_for(None)
    assert anonymous.get(path).status_code == 200
    assert NotificationPreference.objects.get(user=reader, kind="consultation").email
    assert anonymous.post(path).status_code == 200
    chosen = NotificationPreference.objects.get(user=reader, kind="consultation")
    assert (chosen.frequency, chosen.in_app, chosen.email) == ("daily", True, False)
    assert not NotificationPreference.objects.get(user=reader, kind="topic").email


# --- HTTP ---------------------------------------------------------------------------


def test_preferences_page_in_english_sets_a_daily_email_digest(client_for, resident):
    client = client_for(resident)
    page = client.get("/en/me/notifications/").content.decode()
    assert "Consultations I follow" in page and "By e-mail" in page and 'type="checkbox"' in page
    data = {
        "consultation": "daily", "consultation_email": "on",
        "proposal": "now", "proposal_in_app": "on",
        "petition": "weekly", "petition_in_app": "on", "petition_email": "on",
        "topic": "never",
        "petition_answer": "now", "event_reminder": "now",
    }  # fmt: skip
    assert client.post("/en/me/notifications/", data).status_code == 302
    from core.selectors import preference_settings_for

    chosen = preference_settings_for(user=resident)
    assert chosen["consultation"] == {"frequency": "daily", "in_app": False, "email": True}
    assert chosen["petition"] == {"frequency": "weekly", "in_app": True, "email": True}
    page = client.get("/ko/me/notifications/").content.decode()
    assert "하루에 한 번" in page and "이메일로" in page


def test_follow_a_topic_from_the_indicators_page(client_for, resident):
    from accountability.models import IndicatorArea

    area = IndicatorArea.objects.create(slug="equality", title_ko="평등", title_en="Equality")
    client = client_for(resident)
    url = reverse("core:follow", args=["topic", area.pk])
    assert client.post(url, {"action": "follow"}).status_code == 302
    [row] = follows.resolve("topic", [area.pk]).items()
    assert row[0] == area.pk
    assert client.get("/en/me/notifications/").content.decode().count("Equality") >= 1
    # The API lists the contract's targets only.
    assert client.get("/api/v1/me/follows").json() == []


def test_a_missed_day_is_caught_up(consultation, now_runs):
    _follower(consultation, frequency="daily", by_email=True, email="r@example.org",
              preferred_language="en")  # fmt: skip
    with now_runs():
        _propose(consultation, title="First idea")
        _digests()
    start = timezone.now()
    with now_runs():
        follows.news_publish(key="missed", target="consultation", object_ids=[consultation.pk],
                             kind="follows.proposal_new", payload={"title": "Missed idea"},
                             at=start + datetime.timedelta(hours=36))  # fmt: skip
        # The command did not run for two days; the next run reaches back to the last digest.
        run, _created = digests.digest_run_start(
            period="daily", now=start + datetime.timedelta(days=3)
        )
        digests.digest_batch(run_id=run.pk, after=0)
    assert len(mail.outbox) == 2 and "Missed idea" in mail.outbox[1].body


def test_a_stopped_run_resumes_from_its_cursor(settings, consultation, now_runs):
    settings.FOLLOW_BATCH_SIZE = 2
    people = [
        _follower(consultation, frequency="daily", by_email=True, email=f"p{n}@example.org")
        for n in range(5)
    ]
    with now_runs():
        _propose(consultation)
    run, _created = digests.digest_run_start(period="daily")
    with now_runs():
        cursor = digests.digest_batch(run_id=run.pk, after=0)  # one batch, then the chain "dies"
    assert cursor == people[1].pk and len(mail.outbox) == 2
    with now_runs():
        assert "resumed" in _digests()  # the hourly run picks it up from the cursor
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert DigestSent.objects.count() == 5
