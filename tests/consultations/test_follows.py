"""Follows (CONTRACT.md section 3, `me/follows`), the follow buttons, and
notification preferences."""

import json

import pytest
from django.urls import reverse

from consultations import services as consultation_services
from core import selectors, services
from core.errors import Invalid
from core.models import Follow, NotificationPreference
from petitions.models import Petition
from tests import factories
from tests.petitions.factories import PetitionFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/me/follows"


def _post(client, body):
    return client.post(API, json.dumps(body), content_type="application/json")


# --- services ---------------------------------------------------------------


def test_follow_add_is_idempotent(resident, consultation):
    first, created = services.follow_add(
        user=resident, target="consultation", object_id=consultation.pk
    )
    again, created_again = services.follow_add(
        user=resident, target="consultation", object_id=consultation.pk
    )
    assert created and not created_again and first.pk == again.pk
    assert Follow.objects.count() == 1


def test_follow_of_a_hidden_or_unknown_thing_is_not_found(resident):
    from core.errors import Hidden

    draft = PetitionFactory(status=Petition.Status.DRAFT)
    for target, object_id in (("petition", draft.pk), ("petition", 999999), ("topic", 1)):
        with pytest.raises(Hidden):
            services.follow_add(user=resident, target=target, object_id=object_id)
    assert not Follow.objects.exists()


def test_follow_list_leaves_out_what_is_no_longer_public(resident, consultation):
    petition = PetitionFactory()
    services.follow_add(user=resident, target="petition", object_id=petition.pk)
    services.follow_add(user=resident, target="consultation", object_id=consultation.pk)
    listed = selectors.follow_list_for(user=resident)
    assert [f["target"] for f in listed] == ["consultation", "petition"]
    consultation.unpublish()
    assert [f["target"] for f in selectors.follow_list_for(user=resident)] == ["petition"]


def test_follow_a_proposal(resident, consultation):
    proposal = consultation_services.proposal_create(
        page=consultation, author=resident, title="More ramps", body="At every bus stop."
    )
    services.follow_add(user=resident, target="proposal", object_id=proposal.pk)
    [row] = selectors.follow_list_for(user=resident)
    assert row == {
        "target": "proposal",
        "id": proposal.pk,
        "title": "More ramps",
        "url": reverse("consultations:proposal_detail", kwargs={"pk": proposal.pk}),
    }


# --- API ---------------------------------------------------------------------


def test_api_post_201_then_200_get_and_delete_204(client_for, resident, consultation):
    client = client_for(resident)
    body = {"target": "consultation", "id": consultation.pk}
    assert _post(client, body).status_code == 201
    assert _post(client, body).status_code == 200
    assert Follow.objects.count() == 1
    listed = client.get(API).json()
    assert listed == [
        {
            "target": "consultation",
            "id": consultation.pk,
            "title": consultation.title,
            "url": consultation.url,
        }
    ]
    assert client.delete(f"{API}/consultation/{consultation.pk}").status_code == 204
    assert client.get(API).json() == []
    assert client.delete(f"{API}/consultation/{consultation.pk}").status_code == 204


def test_api_refuses_anonymous_and_bad_input(client_for, resident, consultation):
    anonymous = client_for(None)
    assert anonymous.get(API).status_code == 401
    assert _post(anonymous, {"target": "consultation", "id": consultation.pk}).status_code == 401
    assert anonymous.delete(f"{API}/consultation/{consultation.pk}").status_code == 401
    client = client_for(resident)
    response = _post(client, {"target": "topic", "id": 1})
    assert response.status_code == 400 and response.json()["field"] == "target"
    assert _post(client, {"target": "petition", "id": 424242}).status_code == 404
    assert client.delete(f"{API}/topic/1").status_code == 400


def test_api_follows_are_per_person(client_for, resident, consultation):
    other = factories.resident()
    _post(client_for(resident), {"target": "consultation", "id": consultation.pk})
    assert client_for(other).get(API).json() == []


# --- pages -------------------------------------------------------------------


def test_follow_button_on_consultation_proposal_and_petition_pages(
    client_for, resident, consultation
):
    proposal = consultation_services.proposal_create(
        page=consultation, author=resident, title="More ramps", body="At every bus stop."
    )
    petition = PetitionFactory()
    client = client_for(resident)
    pages = [
        ("consultation", consultation.pk, consultation.url),
        ("proposal", proposal.pk, reverse("consultations:proposal_detail", args=[proposal.pk])),
        ("petition", petition.pk, reverse("petitions:detail", args=[petition.pk])),
    ]
    for target, pk, url in pages:
        action = reverse("core:follow", args=[target, pk])
        html = client.get(url).content.decode()
        assert f'action="{action}"' in html and 'value="follow"' in html, target
        response = client.post(action, {"action": "follow", "next": url})
        assert response.status_code == 302 and response["Location"] == url
        assert selectors.is_following(user=resident, target=target, object_id=pk)
        assert 'value="unfollow"' in client.get(url).content.decode()
        client.post(action, {"action": "unfollow", "next": url})
        assert not selectors.is_following(user=resident, target=target, object_id=pk)


def test_follow_view_refuses_anonymous_get_and_foreign_next(client_for, resident, consultation):
    action = reverse("core:follow", args=["consultation", consultation.pk])
    response = client_for(None).post(action, {"action": "follow"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Follow.objects.exists()
    assert client_for(resident).get(action).status_code == 405
    response = client_for(resident).post(action, {"next": "https://evil.example/"})
    assert "evil" not in response["Location"]
    draft = PetitionFactory(status=Petition.Status.DRAFT)
    hidden = reverse("core:follow", args=["petition", draft.pk])
    assert client_for(resident).post(hidden).status_code == 404


def test_anonymous_sees_sign_in_to_follow(client_for, consultation):
    html = client_for(None).get(consultation.url).content.decode()
    assert "/accounts/login/?next=" in html
    assert reverse("core:follow", args=["consultation", consultation.pk]) not in html


def test_preferences_page_saves_a_frequency_per_kind(client_for, resident):
    client = client_for(resident)
    url = reverse("core:preferences")
    assert client.get(url).status_code == 200
    data = {
        "consultation": "daily",
        "proposal": "weekly",
        "petition": "never",
        "topic": "now",
        "petition_answer": "now",
        "event_reminder": "never",
    }
    assert client.post(url, {**data, "consultation_email": "on"}).status_code == 302
    assert selectors.preferences_for(user=resident) == data
    chosen = selectors.preference_settings_for(user=resident)
    assert chosen["consultation"] == {"frequency": "daily", "in_app": False, "email": True}
    assert chosen["event_reminder"] == {"frequency": "never", "in_app": False, "email": True}
    # E-mail-only kinds go now or never: a digest of answers is refused.
    assert client.post(url, {**data, "petition_answer": "daily"}).status_code == 200
    response = client.post(url, {**data, "proposal": "hourly"})
    assert response.status_code == 200  # the form names the field; nothing saved
    assert selectors.preferences_for(user=resident)["proposal"] == "weekly"
    assert client_for(None).get(url).status_code == 302


def test_preference_set_refuses_unknown_values(resident):
    with pytest.raises(Invalid) as error:
        services.preference_set(user=resident, kind="consultation", frequency="hourly")
    assert error.value.field == "frequency"
    with pytest.raises(Invalid):
        services.preference_set(user=resident, kind="spam", frequency="never")
    assert not NotificationPreference.objects.exists()
