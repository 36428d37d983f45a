"""Races on PostgreSQL: many requests make the same move on one case at once.
Exactly one wins, one event is written, every other gets 409."""

import json
import threading

import django_fsm
import pytest
from django.db import connection
from django.test import Client

from complaints import selectors, services
from complaints.models import Complaint, ComplaintEvent
from tests import factories

from .conftest import submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20
ROUNDS = 100


def _fresh_case(supervisor, caseworker, owner) -> Complaint:
    complaint = submit(owner).complaint
    services.complaint_assign(complaint=complaint, actor=supervisor, caseworker=caseworker)
    return complaint


def _run(worker, n):
    results = [None] * n
    barrier = threading.Barrier(n)

    def target(i):
        try:
            results[i] = worker(barrier)
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            results[i] = f"error:{type(exc).__name__}"
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_twenty_threads_race_the_same_transition():
    supervisor = factories.supervisor()
    caseworker = factories.caseworker()
    owner = factories.resident()
    for round_number in range(ROUNDS):
        complaint = _fresh_case(supervisor, caseworker, owner)

        def worker(barrier, reference=complaint.reference):
            # Each request reads the case first, as a view does, then all move at once.
            mine = selectors.complaint_get_for(user=supervisor, reference=reference)
            barrier.wait()
            try:
                services.complaint_transition(complaint=mine, actor=supervisor, transition="accept")
                return "ok"
            except django_fsm.ConcurrentTransition:
                return "conflict"

        results = _run(worker, THREADS)
        assert results.count("ok") == 1, (round_number, results)
        assert results.count("conflict") == THREADS - 1, (round_number, results)
        assert Complaint.objects.get(pk=complaint.pk).status == "investigating"
        assert ComplaintEvent.objects.filter(complaint=complaint, kind="transition").count() == 1


def test_twenty_api_requests_race_the_same_transition():
    """Through HTTP: one 200, the rest 409. A request that reads the case only
    after the winner committed sees the new state (transition_not_allowed);
    one that read it before gets conflict. Both are the loser's honest answer."""
    supervisor = factories.supervisor()
    caseworker = factories.caseworker()
    owner = factories.resident()
    for round_number in range(10):
        complaint = _fresh_case(supervisor, caseworker, owner)

        def worker(barrier, reference=complaint.reference):
            client = Client()
            client.force_login(supervisor)
            factories.verify_second_factor(client, supervisor)
            barrier.wait()
            response = client.post(
                f"/api/v1/complaints/{reference}/transitions",
                data=json.dumps({"transition": "accept"}),
                content_type="application/json",
            )
            if response.status_code == 200:
                return "ok"
            assert response.status_code == 409, response.content
            return response.json()["code"]

        results = _run(worker, THREADS)
        assert results.count("ok") == 1, (round_number, results)
        assert all(r in ("ok", "conflict", "transition_not_allowed") for r in results), results
        assert ComplaintEvent.objects.filter(complaint=complaint, kind="transition").count() == 1


def test_concurrent_submissions_get_distinct_references_and_one_per_idempotency_key():
    owner = factories.resident()

    def distinct(barrier):
        barrier.wait()
        return submit(owner).complaint.reference

    references = _run(distinct, THREADS)
    assert len(set(references)) == THREADS, references

    def same_key(barrier):
        barrier.wait()
        return submit(owner, idempotency_key="same-key").complaint.reference

    refs = _run(same_key, THREADS)
    assert len(set(refs)) == 1, refs
    assert Complaint.objects.count() == THREADS + 1
