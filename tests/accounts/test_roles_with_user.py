"""Issue 21: the user a request is served as comes with its roles in the same
query (accounts.backends), and they are exactly the roles the model reads."""

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.backends import RolesWithUserBackend
from accounts.models import RoleGrant, User
from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def _many_kinds_of_roles() -> User:
    user = factories.UserFactory(roles=[Role.RESIDENT, Role.MODERATOR, Role.CASEWORKER])
    user.groups.add(Group.objects.get_or_create(name="Editors")[0])  # a Wagtail group
    # Only a confirmed, unrevoked grant counts; group membership alone does not.
    user.groups.add(Group.objects.get(name=Role.SUPERVISOR))
    RoleGrant.objects.create(user=user, role=Role.SUPERVISOR)  # proposed only
    return user


def test_the_roles_loaded_with_the_user_are_the_roles_the_model_reads():
    user = _many_kinds_of_roles()
    loaded = RolesWithUserBackend().get_user(user.pk)
    assert loaded.role_names() == User.objects.get(pk=user.pk).role_names()
    assert loaded.role_names() == {"resident", "moderator", "caseworker", "Editors"}


def test_a_revoked_grant_is_gone_on_the_next_request():
    user = factories.caseworker()
    assert RolesWithUserBackend().get_user(user.pk).has_role(Role.CASEWORKER)
    RoleGrant.objects.filter(user=user).update(revoked_at=timezone.now())
    assert not RolesWithUserBackend().get_user(user.pk).has_role(Role.CASEWORKER)


def test_a_user_without_roles_has_none():
    user = factories.UserFactory()
    assert RolesWithUserBackend().get_user(user.pk).role_names() == frozenset()


def test_user_and_roles_in_one_query(django_assert_num_queries):
    user = _many_kinds_of_roles()
    with django_assert_num_queries(1):
        loaded = RolesWithUserBackend().get_user(user.pk)
        assert loaded.has_role(Role.MODERATOR) and not loaded.has_role(Role.SUPERVISOR)


def test_the_asynchronous_door_loads_the_same():
    user = _many_kinds_of_roles()
    loaded = async_to_sync(RolesWithUserBackend().aget_user)(user.pk)
    assert loaded.role_names() == User.objects.get(pk=user.pk).role_names()


def test_an_inactive_or_unknown_user_is_nobody():
    user = factories.resident(is_active=False)
    assert RolesWithUserBackend().get_user(user.pk) is None
    assert RolesWithUserBackend().get_user(10**9) is None


def test_a_signed_in_page_reads_user_and_roles_once(client):
    user = factories.resident()
    client.force_login(user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/accounts/profile/").status_code == 200
    role_reads = [q for q in queries if "accounts_rolegrant" in q["sql"]]
    assert len(role_reads) == 1
    assert '"accounts_user"' in role_reads[0]["sql"]  # the same query as the user
