"""Signature integrity under real concurrency (PostgreSQL, one connection per thread)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier, Event

import pytest
from django.db import connection
from django.utils import timezone

from core.models import Notification
from petitions import services
from petitions.models import Petition, Signature
from tests import factories
from tests.petitions.factories import PetitionFactory, add_signatures

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# PostgreSQL allows 100 connections by default; leave room for the test's own.
WORKERS = 40


def _sign_by_object(petition, user):
    return services.petition_sign(petition=petition, user=user)


def _sign_by_id(petition, user):
    # The API's path: one statement locks, inserts and counts.
    return services.petition_sign_by_id(petition_id=petition.pk, user=user)


@pytest.fixture(params=[_sign_by_object, _sign_by_id], ids=["page", "api"])
def sign(request):
    return request.param


def race(jobs):
    """Run the callables as simultaneously as possible; return results or exceptions."""
    barrier = Barrier(min(len(jobs), WORKERS))

    def run(job):
        try:
            try:
                barrier.wait(timeout=30)
            except Exception:  # noqa: S110 - later waves start without the barrier
                pass
            return job()
        except Exception as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(run, jobs))


def test_fifty_parallel_signatures_by_one_user_make_one_row(sign):
    petition = PetitionFactory()
    add_signatures(petition, 3)
    user = factories.resident()
    results = race([lambda: sign(petition, user) for _ in range(50)])
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(r.created for r in results) == 1
    assert Signature.objects.filter(petition=petition, user=user).count() == 1
    services.petition_fold(petition_id=petition.pk)
    petition.refresh_from_db()
    assert petition.signature_count == 4
    assert petition.signature_count == Signature.objects.filter(petition=petition).count()


def folding_while(jobs):
    """Run the jobs in a race while another thread folds in a loop, as the task
    worker does; then one last fold (the worker's next cycle)."""
    done = Event()

    def fold_loop():
        folds = 0
        while not done.is_set():
            services.petitions_fold_pending()
            folds += 1
        return folds

    with ThreadPoolExecutor(max_workers=1) as folder:
        future = folder.submit(fold_loop)
        try:
            results = race(jobs)
        finally:
            done.set()
            folds = future.result()
            connection.close()
    services.petitions_fold_pending()
    return results, folds


def test_two_hundred_parallel_signers_give_an_exact_count_after_the_fold(sign):
    petition = PetitionFactory(threshold=100000)
    users = [factories.resident() for _ in range(200)]
    results, folds = folding_while([lambda u=u: sign(petition, u) for u in users])
    assert not [r for r in results if isinstance(r, Exception)]
    assert folds >= 1
    assert Signature.objects.filter(petition=petition).count() == 200
    petition.refresh_from_db()
    assert petition.signature_count == 200
    assert petition.signatures_folded_through == Signature.objects.latest("id").id
    # Every signer was answered a count that includes their own signature.
    assert all(1 <= r.signature_count <= 200 for r in results)


def test_signing_writes_only_the_signature_row(sign):
    petition = PetitionFactory()
    user = factories.resident()
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        sign(petition, user)
    # The API's statement is a WITH ... INSERT.
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if any(word in q["sql"].upper() for word in ("INSERT ", "UPDATE ", "DELETE "))
    ]
    assert len(writes) == 1 and "petitions_signature" in writes[0], writes
    assert not [q for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]


def test_threshold_is_crossed_exactly_once_when_crossing_signatures_race(sign):
    supervisor = factories.supervisor()
    petition = PetitionFactory(threshold=10)
    add_signatures(petition, 8)
    users = [factories.resident() for _ in range(30)]
    results, _folds = folding_while([lambda u=u: sign(petition, u) for u in users])
    created = [r for r in results if not isinstance(r, Exception) and r.created]
    assert len(created) == 30, results  # signing goes on past the threshold
    # Folds racing each other (two task workers) change nothing more.
    race([lambda: services.petition_fold(petition_id=petition.pk) for _ in range(10)])
    petition.refresh_from_db()
    assert petition.status == Petition.Status.AWAITING_RESPONSE
    assert petition.signature_count == 38 == Signature.objects.filter(petition=petition).count()
    assert (
        Notification.objects.filter(user=supervisor, kind="petition.threshold_reached").count() == 1
    )
    assert (
        Notification.objects.filter(user=petition.creator, kind="petition.goal_reached").count()
        == 1
    )


def test_closing_racing_signers_refuses_every_late_signature(sign):
    """The close (FOR UPDATE) waits for the signers in flight (FOR SHARE); the
    signers after it are refused. No signature lands in a closed petition
    after the close counted it, and the final count is the rows."""
    petition = PetitionFactory(threshold=100000)
    users = [factories.resident() for _ in range(60)]

    def close_now():
        Petition.objects.filter(pk=petition.pk).update(closes_at=timezone.now())
        return services.petitions_close_expired()

    jobs = [lambda u=u: sign(petition, u) for u in users]
    jobs.insert(30, close_now)
    results = race(jobs)
    signed = [r for r in results if isinstance(r, services.SignResult)]
    refused = [r for r in results if isinstance(r, services.PetitionClosed)]
    assert len(signed) + len(refused) == 60, results
    petition.refresh_from_db()
    assert petition.status == Petition.Status.CLOSED
    rows = Signature.objects.filter(petition=petition)
    assert rows.count() == len(signed)
    # The close folded every row that got in: none came after it.
    assert petition.signature_count == rows.count()
    assert not rows.filter(created_at__gte=petition.closed_at).exists()


def test_parallel_withdrawals_decrement_exactly():
    petition = PetitionFactory()
    user = factories.resident()
    add_signatures(petition, 5)
    services.petition_sign(petition=petition, user=user)
    results = race(
        [lambda: services.petition_withdraw_signature(petition=petition, user=user)] * 20
    )
    assert not [r for r in results if isinstance(r, Exception)]
    petition.refresh_from_db()
    assert petition.signature_count == 5 == Signature.objects.filter(petition=petition).count()


def test_parallel_answer_workers_notify_each_signer_once(settings):
    """Two workers on the same answered petition share the batches (skip_locked)."""
    settings.PETITIONS_NOTIFY_BATCH_SIZE = 25
    petition = PetitionFactory(status=Petition.Status.ANSWERED)
    add_signatures(petition, 100)

    def drain():
        total = 0
        while told := services.petition_notify_signers_batch(
            petition_id=petition.pk, batch_size=25
        ):
            total += told
        return total

    results = race([drain] * 6)
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(results) == 100
    notices = Notification.objects.filter(kind="petition.answered")
    assert notices.count() == 100
    assert notices.values("user").distinct().count() == 100
