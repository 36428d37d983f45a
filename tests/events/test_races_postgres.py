"""Seats, waiting list and follows under real concurrency (PostgreSQL, one
connection per thread)."""

import pytest

from core import services as core_services
from core.models import Follow
from events import services
from events.models import Registration
from tests import factories
from tests.petitions.factories import PetitionFactory
from tests.petitions.test_races_postgres import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_thirty_people_race_for_five_seats(make_event):
    event = make_event(capacity=5)
    users = [factories.resident() for _ in range(30)]
    results = race([lambda u=u: services.registration_create(event=event, user=u) for u in users])
    assert not [r for r in results if isinstance(r, Exception)]
    assert Registration.objects.filter(status="registered").count() == 5
    assert Registration.objects.filter(status="waiting").count() == 25


def test_parallel_cancellations_move_up_exactly_the_freed_seats(make_event):
    event = make_event(capacity=5)
    users = [factories.resident() for _ in range(12)]
    for user in users:
        services.registration_create(event=event, user=user)
    results = race(
        [lambda u=u: services.registration_cancel(event=event, user=u) for u in users[:4]]
    )
    assert all(r is True for r in results)
    assert Registration.objects.filter(status="registered").count() == 5
    moved = set(Registration.objects.filter(status="registered").values_list("user_id", flat=True))
    assert moved == {u.pk for u in users[4:9]}  # the one left and the first four waiting, in order


def test_one_person_registering_twenty_times_at_once_makes_one_row(make_event):
    event = make_event(capacity=5)
    user = factories.resident()
    results = race([lambda: services.registration_create(event=event, user=user)] * 20)
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(created for _reg, created in results) == 1
    assert Registration.objects.count() == 1


def test_twenty_parallel_follows_make_one_row():
    petition = PetitionFactory()
    user = factories.resident()
    results = race(
        [
            lambda: core_services.follow_add(user=user, target="petition", object_id=petition.pk)
            for _ in range(20)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(created for _f, created in results) == 1
    assert Follow.objects.count() == 1
