from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from petitions.models import Petition, Signature
from tests.petitions.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def test_demo_seeds_every_state_and_is_idempotent():
    from accounts import demo as accounts_demo
    from petitions import demo

    accounts_demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    assert Petition.objects.count() == len(demo.DEMO_PETITIONS)
    assert set(Petition.objects.values_list("status", flat=True)) == set(Petition.Status.values)
    past = Petition.objects.get(status=Petition.Status.AWAITING_RESPONSE)
    assert past.signature_count >= past.threshold
    assert past.response_due is not None
    for petition in Petition.objects.all():
        assert petition.signature_count == Signature.objects.filter(petition=petition).count()
    assert Signature.objects.filter(user__username__in=["resident1", "resident2"]).exists()


def test_close_expired_command():
    past = PetitionFactory(closes_at=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    call_command("close_expired_petitions", stdout=out)
    past.refresh_from_db()
    assert past.status == Petition.Status.CLOSED
    assert "Closed 1" in out.getvalue()


def test_close_expired_task():
    from petitions.tasks import close_expired_petitions

    past = PetitionFactory(closes_at=timezone.now() - timedelta(minutes=1))
    result = close_expired_petitions.enqueue()
    assert result.return_value == 1
    past.refresh_from_db()
    assert past.status == Petition.Status.CLOSED
