import pytest
from django.contrib.auth.models import AnonymousUser

from core.errors import Hidden
from core.permissions import may
from petitions import selectors
from petitions.models import Petition
from tests import factories
from tests.petitions.factories import PetitionFactory

pytestmark = pytest.mark.django_db

S = Petition.Status


def users(petition):
    return {
        "anonymous": AnonymousUser(),
        "creator": petition.creator,
        "resident": factories.resident(),
        "moderator": factories.moderator(),
        "supervisor": factories.supervisor(),
        "caseworker": factories.caseworker(),
    }


# Who sees a petition in each state, beyond the public states everyone sees.
VISIBLE = {
    S.DRAFT: {"creator"},
    S.AWAITING_MODERATION: {"creator", "moderator"},
    S.REJECTED: {"creator", "moderator"},
}
ALL = {"anonymous", "creator", "resident", "moderator", "supervisor", "caseworker"}


@pytest.mark.parametrize("state", S.values)
def test_view_rule_and_selector_agree(state):
    petition = PetitionFactory(status=state)
    expected = VISIBLE.get(state, ALL)
    for name, user in users(petition).items():
        allowed = may(user, "petitions.view", petition)
        assert allowed == (name in expected), (state, name)
        if allowed:
            assert selectors.petition_get_for(user=user, pk=petition.pk) == petition
        else:
            with pytest.raises(Hidden):
                selectors.petition_get_for(user=user, pk=petition.pk)


def test_sign_and_add_rules():
    assert may(factories.resident(), "petitions.sign")
    assert may(factories.resident(), "petitions.create")
    assert not may(factories.resident(email_verified=False), "petitions.sign")
    assert not may(factories.moderator(), "petitions.create")
    assert not may(AnonymousUser(), "petitions.sign")


def test_public_list_tabs():
    open_ = PetitionFactory()
    awaiting = PetitionFactory(status=S.AWAITING_RESPONSE)
    answered = PetitionFactory(status=S.ANSWERED)
    closed = PetitionFactory(status=S.CLOSED)
    PetitionFactory(status=S.DRAFT)
    PetitionFactory(status=S.REJECTED)
    assert list(selectors.petition_public_list(tab="open")) == [open_]
    assert list(selectors.petition_public_list(tab="awaiting_response")) == [awaiting]
    assert list(selectors.petition_public_list(tab="answered")) == [answered]
    assert list(selectors.petition_public_list(tab="closed")) == [closed]
    assert selectors.petition_public_list().count() == 4


def test_public_list_sorts():
    from datetime import timedelta

    from django.utils import timezone

    soon = PetitionFactory(signature_count=1, closes_at=timezone.now() + timedelta(days=1))
    popular = PetitionFactory(signature_count=99, closes_at=timezone.now() + timedelta(days=50))
    assert list(selectors.petition_public_list(sort="signatures")) == [popular, soon]
    assert list(selectors.petition_public_list(sort="closing")) == [soon, popular]


def test_moderation_queue_oldest_first():
    from django.utils import timezone

    PetitionFactory(status=S.DRAFT)
    first = PetitionFactory(status=S.AWAITING_MODERATION, submitted_at=timezone.now())
    second = PetitionFactory(status=S.AWAITING_MODERATION, submitted_at=timezone.now())
    assert list(selectors.petition_moderation_queue()) == [first, second]
