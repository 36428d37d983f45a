"""Moderation through both doors: the one API shape for every type, and the
one queue page with bulk actions. Non-moderators get 403 from the API and from
one public item's action page, and 404 from the queue pages (they may not see
that the queue exists)."""

import json

import pytest
from django.urls import reverse

from consultations.models import PostingBlock
from moderation import services
from moderation.models import ModerationLog, Report, reason_sentence
from tests import factories

pytestmark = pytest.mark.django_db

PLURAL = {"comment": "comments", "proposal": "proposals", "petition": "petitions"}


def post_json(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def kind_of(item) -> str:
    return type(item).__name__.lower()


def test_one_api_shape_for_every_type(client_for, items, reporter, moderator):
    residents, moderating = client_for(reporter), client_for(moderator)
    for item in items:
        base = f"/api/v1/{PLURAL[kind_of(item)]}/{item.pk}"
        response = post_json(residents, f"{base}/reports", {"reason": "spam", "note": "ads"})
        assert response.status_code == 201, response.content
        assert response.json()["reason"] == "spam"
        response = post_json(moderating, f"{base}/hide", {"reason": "spam"})
        assert response.status_code == 200, response.content
        assert response.json() == {
            "id": item.pk,
            "hidden": True,
            "reason": reason_sentence("spam"),
        }
        again = post_json(moderating, f"{base}/hide", {"reason": "spam"})
        assert again.status_code == 409 and again.json()["code"] == "not_visible"
        restored = post_json(moderating, f"{base}/restore")
        assert restored.status_code == 200 and restored.json()["hidden"] is False
        dismissed = post_json(moderating, f"{base}/dismiss")
        assert dismissed.status_code == 200 and dismissed.json() == {"dismissed": 0}
    assert Report.objects.count() == 3


def test_the_api_refuses_non_moderators_with_403(client_for, items, resident, supervisor):
    comment, _proposal, petition = items
    for user in (resident, supervisor, factories.superuser()):
        client = client_for(user)
        for url in (
            f"/api/v1/comments/{comment.pk}/hide",
            f"/api/v1/petitions/{petition.pk}/hide",
        ):
            response = post_json(client, url, {"reason": "spam"})
            assert response.status_code == 403, (user, url)
            assert response.json()["code"] == "permission_denied"
        response = post_json(client, "/api/v1/moderation/bulk", {"action": "dismiss", "items": []})
        assert response.status_code == 403
        assert client.get("/api/v1/moderation/queue").status_code == 403
    assert (
        post_json(client_for(None), f"/api/v1/petitions/{petition.pk}/reports").status_code == 401
    )


def test_api_bulk_and_queue(client_for, items, reporter, moderator):
    for item in items:
        services.report_create(user=reporter, target=item, reason="abuse")
    client = client_for(moderator)
    queue = client.get("/api/v1/moderation/queue").json()
    assert {(row["type"], row["id"]) for row in queue} == {(kind_of(i), i.pk) for i in items}
    only = client.get("/api/v1/moderation/queue?type=petition").json()
    assert [row["type"] for row in only] == ["petition"]
    body = {
        "action": "hide",
        "reason": "abuse",
        "items": [{"type": kind_of(i), "id": i.pk} for i in items],
    }
    assert post_json(client, "/api/v1/moderation/bulk", body).json() == {
        "changed": 3,
        "unchanged": 0,
    }
    assert post_json(client, "/api/v1/moderation/bulk", body).json() == {
        "changed": 0,
        "unchanged": 3,
    }
    hidden = client.get("/api/v1/moderation/queue?status=hidden").json()
    assert len(hidden) == 3 and {row["hidden_reason"] for row in hidden} == {"abuse"}
    response = post_json(client, "/api/v1/moderation/bulk", {**body, "reason": ""})
    assert response.status_code == 400 and response.json()["field"] == "reason"


def test_the_queue_lists_every_type_together_and_filters(client_for, items, reporter, moderator):
    for item in items:
        services.report_create(user=reporter, target=item, reason="spam", note="Really")
    client = client_for(moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    for item in items:
        assert f'value="{kind_of(item)}:{item.pk}"' in html
    petitions_only = client.get(reverse("moderation:queue") + "?type=petition").content.decode()
    assert f'value="petition:{items[2].pk}"' in petitions_only
    assert f'value="comment:{items[0].pk}"' not in petitions_only
    assert "(3)" in html and "(1)" in html  # counts per type in the filter


def test_bulk_hide_from_the_queue_page_is_idempotent(
    client_for, items, reporter, moderator, consultation
):
    for item in items:
        services.report_create(user=reporter, target=item, reason="spam")
    client = client_for(moderator)
    form = {
        "items": [f"{kind_of(i)}:{i.pk}" for i in items],
        "action": "hide",
        "reason": "spam",
        "note": "",
        "type": "",
        "status": "reported",
    }
    response = client.post(reverse("moderation:bulk"), form, follow=True)
    assert response.status_code == 200
    assert all(type(i).objects.get(pk=i.pk).is_hidden for i in items)
    entries = ModerationLog.objects.count()
    response = client.post(reverse("moderation:bulk"), form, follow=True)
    assert ModerationLog.objects.count() == entries
    assert "0" in response.content.decode()
    # What people see in place of the hidden petition: the reason as a sentence.
    public = client_for(None).get(reverse("petitions:detail", args=[items[2].pk]))
    page = public.content.decode()
    assert "Visit my shop" not in page
    assert "광고나 스팸" in page
    english = client_for(None).get(f"/en/petitions/{items[2].pk}/").content.decode()
    assert reason_sentence("spam") in english or "advertising or spam" in english
    # The consultation page's placeholder reads the same way.
    assert "광고나 스팸" in client_for(None).get(consultation.url).content.decode()


def test_bulk_without_a_reason_changes_nothing(client_for, items, moderator):
    client = client_for(moderator)
    form = {"items": [f"comment:{items[0].pk}"], "action": "hide", "reason": ""}
    response = client.post(reverse("moderation:bulk"), form, follow=True)
    assert response.status_code == 200
    assert type(items[0]).objects.get(pk=items[0].pk).is_visible


def test_queue_pages_are_404_for_everyone_else(client_for, items, resident, caseworker):
    """The queue is 404 to whoever may not moderate; one public item's action
    is 403 to them, as the API answers (tests/core/test_door_parity.py)."""
    form = {"items": [f"comment:{items[0].pk}"], "action": "hide", "reason": "spam"}
    for user in (resident, caseworker, factories.superuser()):
        client = client_for(user)
        assert client.get(reverse("moderation:queue")).status_code == 404
        assert client.post(reverse("moderation:bulk"), form).status_code == 404
        url = reverse("moderation:act", args=["petition", items[2].pk, "hide"])
        assert client.post(url, {"reason": "spam"}).status_code == 403
    assert client_for(None).get(reverse("moderation:queue")).status_code == 302
    assert type(items[0]).objects.get(pk=items[0].pk).is_visible


def test_a_resident_reports_a_petition_from_its_page(client_for, items, reporter):
    petition = items[2]
    client = client_for(reporter)
    page = client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    url = reverse("moderation:report", args=["petition", petition.pk])
    assert url in page
    assert client.post(url, {"reason": "spam", "note": ""}).status_code == 302
    assert type(petition).objects.get(pk=petition.pk).report_count == 1


def test_a_moderator_hides_one_petition_from_its_page(client_for, items, moderator):
    petition = items[2]
    client = client_for(moderator)
    url = reverse("moderation:act", args=["petition", petition.pk, "hide"])
    assert url in client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert client.post(url, {"reason": "off_topic"}).status_code == 302
    petition.refresh_from_db()
    assert petition.is_hidden and petition.hidden_reason == "off_topic"
    # The moderator still reads it, with the reason and the way back.
    page = client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert "Visit my shop" in page
    assert reverse("moderation:act", args=["petition", petition.pk, "restore"]) in page


def test_unblock_with_a_reason_from_the_queue(client_for, moderator):
    from consultations import services as consultation_services

    blocked = factories.resident()
    consultation_services.author_block(moderator=moderator, user=blocked, reason="spam")
    client = client_for(moderator)
    assert blocked.get_display_name() in client.get(reverse("moderation:queue")).content.decode()
    url = reverse("moderation:unblock", args=[blocked.pk])
    client.post(url, {"note": ""})
    assert PostingBlock.objects.filter(user=blocked).exists()
    response = client.post(url, {"note": "Apologised"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not PostingBlock.objects.filter(user=blocked).exists()
    assert ModerationLog.objects.filter(action="unblock", note="Apologised").exists()
