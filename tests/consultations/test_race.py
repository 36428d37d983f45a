"""30 parallel supports by one user create one row (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from consultations import services
from consultations.models import Proposal, Support
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_30_parallel_supports_by_one_user_make_one_row(consultation):
    author, supporter = factories.resident(), factories.resident()
    proposal = services.proposal_create(page=consultation, author=author, title="Ramps", body="b")
    barrier = threading.Barrier(30)
    results, errors = [], []

    def support():
        try:
            barrier.wait()
            results.append(services.proposal_support(proposal=proposal, user=supporter))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=support) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Support.objects.filter(proposal=proposal, user=supporter).count() == 1
    assert Proposal.objects.get(pk=proposal.pk).support_count == 1
    assert results == [1] * 30
