"""Unblock with a reason over HTTP (moderators only)."""

import pytest
from django.urls import reverse

from consultations import services
from consultations.models import PostingBlock
from moderation.models import ModerationLog
from tests import factories

pytestmark = pytest.mark.django_db


def test_moderator_lifts_a_block_with_a_reason(client_for, moderator, site_pages):
    blocked = factories.resident()
    services.author_block(moderator=moderator, user=blocked, reason="spam")
    client = client_for(moderator)
    listing = client.get(reverse("moderation:queue")).content.decode()
    assert blocked.get_display_name() in listing
    url = reverse("consultations:author_unblock", args=[blocked.pk])
    assert client.post(url, {"note": ""}).status_code == 302
    assert PostingBlock.objects.filter(user=blocked).exists()  # a reason is required
    assert client.post(url, {"note": "Apologised"}).status_code == 302
    assert not PostingBlock.objects.filter(user=blocked).exists()
    assert ModerationLog.objects.filter(action="unblock", note="Apologised").exists()
    assert client.post(url, {"note": "again"}).status_code == 404  # no block left


def test_only_moderators_may_list_or_lift_blocks(client_for, moderator, site_pages, caseworker):
    blocked = factories.resident()
    services.author_block(moderator=moderator, user=blocked, reason="spam")
    url = reverse("consultations:author_unblock", args=[blocked.pk])
    for user in (blocked, factories.resident(), caseworker, factories.superuser()):
        assert client_for(user).get(reverse("consultations:posting_blocks")).status_code == 404
        assert client_for(user).post(url, {"note": "x"}).status_code == 404
    assert client_for(None).post(url, {"note": "x"}).status_code == 302
    assert PostingBlock.objects.filter(user=blocked).exists()
