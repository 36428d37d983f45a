from datetime import timedelta

import factory
from django.utils import timezone

from petitions.models import Petition, Signature
from tests import factories


class PetitionFactory(factory.django.DjangoModelFactory):
    """A petition in any state: pass `status=` (the protected field may be set
    once, at construction). Open ones get a closing date in the future."""

    class Meta:
        model = Petition

    creator = factory.LazyFunction(factories.resident)
    title = factory.Sequence(lambda n: f"More benches in park {n}")
    action = "Put benches along the river path."
    background = "Older people cannot walk far without a rest."
    status = Petition.Status.OPEN
    threshold = 1000
    closes_at = factory.LazyAttribute(
        lambda p: (
            timezone.now() + timedelta(days=30)
            if p.status not in (Petition.Status.DRAFT, Petition.Status.AWAITING_MODERATION)
            else None
        )
    )


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    petition = factory.SubFactory(PetitionFactory)
    user = factory.LazyFunction(factories.resident)
    show_name = False


def add_signatures(petition: Petition, count: int, *, show_name: bool = True) -> None:
    """Many signers fast (bulk_create), folded at once into signature_count."""
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role

    start = User.objects.count()
    users = User.objects.bulk_create(
        [User(username=f"bulk{start}-{i}-{petition.pk}", email_verified=True) for i in range(count)]
    )
    users = list(User.objects.filter(username__startswith=f"bulk{start}-").order_by("id"))
    Group.objects.get(name=Role.RESIDENT).user_set.add(*users)
    Signature.objects.bulk_create(
        [Signature(petition=petition, user=u, show_name=show_name) for u in users]
    )
    from petitions.services import petition_fold

    petition_fold(petition_id=petition.pk)
    petition.refresh_from_db()
