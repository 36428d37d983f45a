"""Factories shared by every app's tests. App-specific ones live in tests/<app>/factories.py."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import GrantedRole, RoleGrant, User
from accounts.roles import Role

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.LazyAttribute(lambda u: u.username.title())
    email_verified = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
            # The roles that open cases need a confirmed grant (accounts.RoleGrant);
            # the factories give one, as the office's two-person flow would.
            for role in set(extracted) & set(GrantedRole.values):
                RoleGrant.objects.create(user=self, role=role, confirmed_at=timezone.now())
            self.__dict__.pop("_role_names", None)
        if create:
            self.save()


def resident(**kwargs) -> User:
    return UserFactory(roles=[Role.RESIDENT], **kwargs)


def caseworker(**kwargs) -> User:
    return UserFactory(roles=[Role.CASEWORKER], **kwargs)


def supervisor(**kwargs) -> User:
    return UserFactory(roles=[Role.SUPERVISOR], **kwargs)


def moderator(**kwargs) -> User:
    return UserFactory(roles=[Role.MODERATOR], **kwargs)


def superuser(**kwargs) -> User:
    return UserFactory(is_superuser=True, is_staff=True, **kwargs)


def verify_second_factor(client, user) -> None:
    """Give a signed-in staff `client` a confirmed TOTP device and a session that
    verified it, as the verify page would (accounts.second_factor)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import second_factor

    if not second_factor.needs_second_factor(user):
        return
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[second_factor.SESSION_KEY] = str(user.pk)
    session.save()
