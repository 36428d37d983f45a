"""The Wagtail admin menu leads moderators, and only them, to the moderation queue."""

import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from moderation import services as moderation_services
from tests import factories

pytestmark = pytest.mark.django_db

SIDEBAR = re.compile(
    r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.S
)
ITEM = "moderation-queue"


def admin_menu(client) -> dict[str, dict]:
    """The main menu's items in the admin sidebar, by name (a submenu's items too)."""
    response = client.get("/cms-admin/")
    assert response.status_code == 200
    modules = json.loads(SIDEBAR.search(response.content.decode()).group(1))["modules"]
    (main,) = [m for m in modules if m["_type"] == "wagtail.sidebar.MainMenuModule"]
    items = {}
    for item in main["_args"][0]:
        items[_plain(item["_args"][0]["name"])] = item["_args"][0]
        if item["_type"] == "wagtail.sidebar.SubMenuItem":
            for child in item["_args"][1]:
                args = _plain(child["_args"][0])
                items[args["name"]] = args
    return items


def _plain(value):
    """Telepath's packing of repeated values ({"_val": ..., "_id": ...}) unwrapped."""
    if isinstance(value, dict):
        if "_val" in value:
            return value["_val"]
        return {k: _plain(v) for k, v in value.items()}
    return value


def with_admin_access(user, language="ko"):
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def test_a_moderator_finds_the_queue_in_the_admin_menu_and_can_open_it(client_for, moderator):
    client = client_for(with_admin_access(moderator))
    menu = admin_menu(client)
    assert menu[ITEM]["label"] == "검토 대기 목록"
    item = menu["moderation-queue-all"]
    with translation.override("ko"):
        assert item["url"] == reverse("moderation:queue")
    assert item["label"] == "모든 유형 (0)"
    assert client.get(item["url"]).status_code == 200
    assert client.get(menu["moderation-queue-petition"]["url"]).status_code == 200


def test_the_menu_item_follows_each_users_admin_language(client_for):
    korean = with_admin_access(factories.moderator(), "ko")
    english = with_admin_access(factories.moderator(), "en")
    assert admin_menu(client_for(korean))["moderation-queue-all"]["url"] == "/ko/moderation/"
    menu = admin_menu(client_for(english))
    assert menu["moderation-queue-all"]["url"] == "/en/moderation/"
    assert menu["moderation-queue-comment"]["url"] == "/en/moderation/?type=comment"
    assert menu[ITEM]["label"] == "Moderation queue"


def test_editors_residents_and_staff_who_may_not_moderate_do_not_see_it(
    client_for, resident, caseworker, superuser
):
    editor = factories.UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    for user in (editor, with_admin_access(resident), with_admin_access(caseworker), superuser):
        menu = admin_menu(client_for(user))
        assert ITEM not in menu, user.username
        # The menu hides what the queue itself refuses.
        assert client_for(user).get(reverse("moderation:queue")).status_code == 404


def test_the_menu_counts_what_waits_in_each_queue(client_for, moderator, resident, consultation):
    from consultations import services
    from petitions.models import Petition
    from tests.petitions.factories import PetitionFactory

    comment = services.comment_create(page=consultation, author=resident, body="Buy now!")
    moderation_services.report_create(target=comment, user=factories.resident(), reason="spam")
    PetitionFactory(status=Petition.Status.AWAITING_MODERATION)
    menu = admin_menu(client_for(with_admin_access(moderator, "en")))
    assert menu[ITEM]["label"] == "Moderation queue (1)"
    # Open counts per type, each leading to the one queue filtered by it.
    assert menu["moderation-queue-comment"]["label"] == "Comments (1)"
    assert menu["moderation-queue-proposal"]["label"] == "Proposals (0)"
    assert menu["moderation-queue-petition"]["label"] == "Petitions (0)"
    assert menu["petitions-moderation-queue"]["label"] == "Petitions to review (1)"
    resident_menu = admin_menu(client_for(with_admin_access(factories.resident())))
    assert "petitions-moderation-queue" not in resident_menu
