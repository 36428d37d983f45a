"""Roles that open cases are granted by two supervisors, never edited."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts import services
from accounts.models import RoleGrant, SecurityEvent, User
from accounts.roles import Role
from core.errors import Refused
from core.models import Notification
from core.permissions import may
from tests import factories
from tests.complaints.conftest import submit

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_group_membership_from_the_shell_opens_no_case():
    complaint = submit(factories.resident()).complaint
    user = factories.UserFactory(username="sneaky")
    call_command(
        "shell",
        command=(
            "from django.contrib.auth.models import Group;"
            "from accounts.models import User;"
            "u = User.objects.get(username='sneaky');"
            "u.groups.add(Group.objects.get(name='supervisor'));"
            "u.groups.add(Group.objects.get(name='caseworker'))"
        ),
    )
    user = fresh(user)
    assert user.groups.filter(name="supervisor").exists()
    assert not may(user, "complaints.view", complaint)
    assert not may(user, "complaints.supervise", complaint)


def test_a_superuser_in_the_supervisor_group_sees_no_case():
    complaint = submit(factories.resident()).complaint
    admin = factories.superuser()
    admin.groups.add(Group.objects.get(name=Role.SUPERVISOR))
    assert not may(fresh(admin), "complaints.view", complaint)


def test_the_two_person_flow_opens_cases_and_is_logged_and_notified():
    complaint = submit(factories.resident()).complaint
    first, second = factories.supervisor(), factories.supervisor()
    newcomer = factories.UserFactory()
    grant = services.role_grant_propose(actor=first, user=newcomer, role=Role.SUPERVISOR)
    assert not may(fresh(newcomer), "complaints.view", complaint)  # proposed is not granted
    services.role_grant_confirm(actor=second, grant=grant)
    assert may(fresh(newcomer), "complaints.view", complaint)
    kinds = list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["proposed", "confirmed"]
    # Each event notifies every supervisor (the newcomer too, once confirmed).
    assert Notification.objects.filter(kind="security.role_proposed").count() == 2
    assert Notification.objects.filter(kind="security.role_confirmed").count() == 3

    services.role_grant_revoke(actor=first, grant=grant)
    assert not may(fresh(newcomer), "complaints.view", complaint)
    assert SecurityEvent.objects.filter(kind="revoked").count() == 1


def test_a_supervisor_cannot_confirm_their_own_proposal():
    first = factories.supervisor()
    grant = services.role_grant_propose(
        actor=first, user=factories.UserFactory(), role=Role.CASEWORKER
    )
    with pytest.raises(Refused):
        services.role_grant_confirm(actor=first, grant=grant)
    assert RoleGrant.objects.get(pk=grant.pk).confirmed_at is None


def test_nor_the_person_proposed():
    first, second = factories.supervisor(), factories.supervisor()
    grant = services.role_grant_propose(actor=first, user=second, role=Role.CASEWORKER)
    with pytest.raises(Refused):
        services.role_grant_confirm(actor=second, grant=grant)


def test_only_supervisors_propose():
    with pytest.raises(Refused):
        services.role_grant_propose(
            actor=factories.caseworker(), user=factories.UserFactory(), role=Role.SUPERVISOR
        )


def test_the_security_log_is_append_only():
    first = factories.supervisor()
    services.role_grant_propose(actor=first, user=factories.UserFactory(), role=Role.CASEWORKER)
    event = SecurityEvent.objects.get()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_grant_first_supervisor_only_once():
    complaint = submit(factories.resident()).complaint
    user = factories.UserFactory(username="boss")
    call_command("grant_first_supervisor", "boss")
    assert may(fresh(user), "complaints.view", complaint)
    assert SecurityEvent.objects.get().kind == "first_supervisor"
    factories.UserFactory(username="boss2")
    with pytest.raises(CommandError):
        call_command("grant_first_supervisor", "boss2")


def test_the_office_page_runs_the_flow(client_for):
    first, second = factories.supervisor(), factories.supervisor()
    newcomer = factories.UserFactory(username="newcw")
    response = client_for(first).post(
        "/en/accounts/office/roles/", {"username": "newcw", "role": "caseworker"}
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=newcomer)
    # The proposer's confirm is refused; the other supervisor's goes through.
    client_for(first).post(f"/en/accounts/office/roles/{grant.pk}/confirm/")
    assert RoleGrant.objects.get(pk=grant.pk).confirmed_at is None
    client_for(second).post(f"/en/accounts/office/roles/{grant.pk}/confirm/")
    assert RoleGrant.objects.get(pk=grant.pk).confirmed_by == second
    page = client_for(second).get("/en/accounts/office/roles/")
    assert page.status_code == 200
    assert b"newcw" in page.content and b"Role confirmed" in page.content


def test_the_office_page_is_404_to_everyone_else(client_for):
    for user in (factories.caseworker(), factories.resident(), factories.superuser()):
        assert client_for(user).get("/en/accounts/office/roles/").status_code == 404


def test_seed_demo_gives_demo_staff_confirmed_grants():
    from io import StringIO

    from accounts import demo

    demo.seed(stdout=StringIO())
    assert {g.user.username for g in RoleGrant.objects.filter(confirmed_at__isnull=False)} == {
        "supervisor",
        "caseworker1",
        "caseworker2",
    }
    assert User.objects.get(username="supervisor").has_role(Role.SUPERVISOR)
