"""Signature integrity under real concurrency (PostgreSQL, one connection per thread)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from core.models import Notification
from petitions import services
from petitions.models import Petition, Signature
from tests import factories
from tests.petitions.factories import PetitionFactory, add_signatures

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# PostgreSQL allows 100 connections by default; leave room for the test's own.
WORKERS = 40


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


def test_fifty_parallel_signatures_by_one_user_make_one_row():
    petition = PetitionFactory()
    add_signatures(petition, 3)
    user = factories.resident()
    results = race(
        [lambda: services.petition_sign(petition=petition, user=user) for _ in range(50)]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(r.created for r in results) == 1
    assert Signature.objects.filter(petition=petition, user=user).count() == 1
    petition.refresh_from_db()
    assert petition.signature_count == 4
    assert petition.signature_count == Signature.objects.filter(petition=petition).count()


def test_two_hundred_parallel_signers_give_an_exact_count():
    petition = PetitionFactory(threshold=100000)
    users = [factories.resident() for _ in range(200)]
    results = race([lambda u=u: services.petition_sign(petition=petition, user=u) for u in users])
    assert not [r for r in results if isinstance(r, Exception)]
    assert Signature.objects.filter(petition=petition).count() == 200
    petition.refresh_from_db()
    assert petition.signature_count == 200


def test_threshold_is_crossed_exactly_once_when_crossing_signatures_race():
    supervisor = factories.supervisor()
    petition = PetitionFactory(threshold=10)
    add_signatures(petition, 8)
    users = [factories.resident() for _ in range(30)]
    results = race([lambda u=u: services.petition_sign(petition=petition, user=u) for u in users])
    created = [r for r in results if not isinstance(r, Exception) and r.created]
    assert len(created) == 30, results  # signing goes on past the threshold
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
