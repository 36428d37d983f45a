"""One permission API (issue 15): one RuleSet, `may` / `require`, one template
tag, fsm transitions asking it, and one superuser policy."""

import pytest
import rules as django_rules
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django_fsm import has_transition_perm

from core import permissions
from core.errors import Hidden, Refused
from core.permissions import may, require
from petitions.models import Petition
from tests import factories
from tests.complaints.conftest import submit
from tests.petitions.factories import PetitionFactory

pytestmark = pytest.mark.django_db

APPS = {
    "accounts",
    "accountability",
    "complaints",
    "consultations",
    "events",
    "moderation",
    "petitions",
}


def test_an_unknown_action_is_an_error_not_a_quiet_no():
    with pytest.raises(KeyError):
        may(factories.resident(), "petitions.sing")
    with pytest.raises(ValueError):
        permissions.register("sign", django_rules.always_true)


def test_every_app_asks_through_the_one_ruleset_and_nothing_else():
    assert {name.split(".")[0] for name in permissions.rules} == APPS
    # Nothing registers into django-rules' own sets, and no backend would answer
    # user.has_perm from them.
    assert not django_rules.permissions.permissions
    assert not django_rules.rulesets.default_rules
    assert "rules.permissions.ObjectPermissionBackend" not in settings.AUTHENTICATION_BACKENDS


def test_a_superuser_gets_nothing_a_plain_account_does_not():
    superuser, plain = factories.superuser(), factories.UserFactory()
    for action in permissions.rules:
        assert may(superuser, action) == may(plain, action), action
    complaint = submit(factories.resident()).complaint
    petition = PetitionFactory(status=Petition.Status.AWAITING_MODERATION)
    for action, obj in [
        ("complaints.view", complaint),
        ("complaints.supervise", complaint),
        ("petitions.view", petition),
        ("petitions.submit", PetitionFactory(status=Petition.Status.DRAFT)),
        ("petitions.moderate", petition),
        ("consultations.moderate", None),
        ("moderation.moderate", None),
        ("events.view_registrations", None),
    ]:
        assert not may(superuser, action, obj), action
    # django-fsm asks the same rules: no superuser publishes a petition.
    assert not has_transition_perm(petition.publish, superuser)
    assert has_transition_perm(petition.publish, factories.moderator())


def test_a_superuser_keeps_the_cms_and_django_admin_but_no_moderation_page(client_for):
    client = client_for(factories.superuser())
    assert client.get("/cms-admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 200
    assert client.get("/ko/petitions/moderation/").status_code == 404
    assert client.get("/ko/consultations/moderation/").status_code == 404


def test_require_hides_what_the_user_may_not_see_and_refuses_the_rest():
    owner, stranger = factories.resident(), factories.resident()
    complaint = submit(owner).complaint
    require(owner, "complaints.view", complaint)  # allowed: nothing raised
    with pytest.raises(Refused):  # the complainant sees the case, may not assign it
        require(owner, "complaints.supervise", complaint)
    for action in ("complaints.view", "complaints.supervise", "complaints.message"):
        with pytest.raises(Hidden):  # anyone else learns nothing, not even that it exists
            require(stranger, action, complaint)
    with pytest.raises(Refused):  # no object to hide: refused
        require(owner, "consultations.moderate")
    with pytest.raises(Hidden):  # someone else's draft
        require(stranger, "petitions.edit", PetitionFactory(status=Petition.Status.DRAFT))
    with pytest.raises(Refused):  # an open petition everyone sees
        require(stranger, "petitions.edit", PetitionFactory())
    with pytest.raises(Refused):
        require(factories.resident(email_verified=False), "petitions.sign", PetitionFactory())


def _render(source: str, user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load may_tags %}" + source).render(Context({"request": request, **context}))


def test_the_template_tag_asks_the_same_question():
    source = '{% may "petitions.moderate" petition as allowed %}{{ allowed }}'
    petition = PetitionFactory(status=Petition.Status.AWAITING_MODERATION)
    assert _render(source, factories.moderator(), petition=petition) == "True"
    for user in (factories.resident(), factories.superuser(), AnonymousUser()):
        assert _render(source, user, petition=petition) == "False"


def test_the_petition_list_offers_the_moderation_queue_to_moderators_only(client_for, site_pages):
    link = 'href="/ko/petitions/moderation/"'
    assert link in client_for(factories.moderator()).get("/ko/petitions/").content.decode()
    for user in (factories.superuser(), factories.resident()):
        assert link not in client_for(user).get("/ko/petitions/").content.decode()
