"""Moderation written once: the same report, hide, restore, dismiss and bulk
services for comments, proposals and petitions (moderation.services)."""

import pytest
from django.core import mail
from django.utils import translation

from consultations.models import Discussion
from core.errors import Invalid, NotNow, Refused
from core.models import Notification
from core.notifications import render_message
from moderation import services
from moderation.models import ModerationAction, ModerationLog, Report, reason_sentence
from petitions import services as petition_services
from tests import factories

pytestmark = pytest.mark.django_db


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_each_type_is_reported_once_per_person_and_counted(items, reporter, other_resident):
    for item in items:
        first = services.report_create(user=reporter, target=item, reason="spam")
        again = services.report_create(user=reporter, target=item, reason="abuse")
        assert first.pk == again.pk
        services.report_create(user=other_resident, target=item, reason="spam")
        assert fresh(item).report_count == 2
    assert Report.objects.count() == 6
    assert ModerationLog.objects.filter(action=ModerationAction.REPORT).count() == 6


def test_a_petition_is_hidden_with_a_reason_and_its_author_told_in_words(
    items, reporter, moderator, resident, django_capture_on_commit_callbacks
):
    petition = items[2]
    resident.preferred_language = "en"
    resident.save()
    services.report_create(user=reporter, target=petition, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        services.moderation_hide(moderator=moderator, target=petition, reason="spam", note="Ads")
    petition = fresh(petition)
    assert petition.is_hidden and petition.hidden_reason == "spam"
    assert petition.hidden_by == moderator and petition.hidden_at is not None
    assert petition.report_count == 0
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    # Hidden petitions leave the public list and take no signatures.
    from petitions.selectors import petition_public_list

    assert petition not in list(petition_public_list())
    assert not petition.accepts_signatures()
    with pytest.raises(petition_services.PetitionClosed):
        petition_services.petition_sign(petition=petition, user=factories.resident())
    # The notice reads as a sentence in the reader's language, never the code.
    notice = Notification.objects.get(user=resident, kind="moderation.hidden")
    with translation.override("en"):
        text = render_message(notice.kind, notice.payload)
        assert text == "A moderator hid your petition. " + reason_sentence("spam")
    assert "advertising or spam" in text and "spam." in text
    with translation.override("ko"):
        korean = render_message(notice.kind, notice.payload)
    assert "청원" in korean and "광고" in korean and "spam" not in korean
    assert "advertising or spam" in mail.outbox[-1].body and "Ads" in mail.outbox[-1].body


def test_the_sentence_is_korean_for_a_korean_author(
    items, moderator, resident, django_capture_on_commit_callbacks
):
    resident.preferred_language = "ko"
    resident.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.moderation_hide(moderator=moderator, target=items[0], reason="personal_data")
    body = mail.outbox[-1].body
    assert "개인정보" in body and "personal_data" not in body


def test_hide_and_restore_keep_each_types_counters(items, moderator, consultation):
    comment, proposal, _petition = items
    discussion = Discussion.objects.get(translation_key=consultation.translation_key)
    assert (discussion.comment_count, discussion.proposal_count) == (1, 1)
    services.moderation_hide(moderator=moderator, target=comment, reason="spam")
    services.moderation_hide(moderator=moderator, target=proposal, reason="spam")
    discussion.refresh_from_db()
    assert (discussion.comment_count, discussion.proposal_count) == (0, 0)
    with pytest.raises(NotNow) as error:
        services.moderation_hide(moderator=moderator, target=comment, reason="spam")
    assert error.value.code == "not_visible"
    services.moderation_restore(moderator=moderator, target=comment)
    restored = fresh(comment)
    assert restored.is_visible and restored.hidden_reason == "" and restored.hidden_by is None
    with pytest.raises(NotNow):
        services.moderation_restore(moderator=moderator, target=comment)
    discussion.refresh_from_db()
    assert (discussion.comment_count, discussion.proposal_count) == (1, 0)


def test_only_moderators_moderate(items, resident, caseworker, supervisor, superuser):
    for user in (resident, caseworker, supervisor, superuser, None):
        for call in (
            lambda user=user: services.moderation_hide(
                moderator=user, target=items[0], reason="spam"
            ),
            lambda user=user: services.moderation_restore(moderator=user, target=items[0]),
            lambda user=user: services.reports_dismiss(moderator=user, target=items[0]),
            lambda user=user: services.moderation_bulk(
                moderator=user, action="dismiss", items=[("comment", items[0].pk)]
            ),
        ):
            with pytest.raises(Refused):
                call()
    assert fresh(items[0]).is_visible


def test_a_reason_from_the_list_is_required(items, moderator):
    with pytest.raises(Invalid) as error:
        services.moderation_hide(moderator=moderator, target=items[1], reason="ugly")
    assert error.value.field == "reason"
    with pytest.raises(Invalid):
        services.moderation_bulk(moderator=moderator, action="hide", items=[("comment", 1)])


def test_dismiss_closes_the_reports_and_leaves_the_item(items, reporter, moderator):
    services.report_create(user=reporter, target=items[1], reason="off_topic")
    assert services.reports_dismiss(moderator=moderator, target=items[1], note="Fine") == 1
    proposal = fresh(items[1])
    assert proposal.is_visible and proposal.report_count == 0
    # A new report after dismissal opens again.
    services.report_create(user=reporter, target=proposal, reason="spam")
    assert fresh(proposal).report_count == 1


def test_bulk_hides_every_type_at_once_and_a_repeat_changes_nothing(
    items, reporter, moderator, django_capture_on_commit_callbacks
):
    for item in items:
        services.report_create(user=reporter, target=item, reason="spam")
    keys = [("comment", items[0].pk), ("proposal", items[1].pk), ("petition", items[2].pk)]
    with django_capture_on_commit_callbacks(execute=True):
        result = services.moderation_bulk(
            moderator=moderator, action="hide", items=keys, reason="spam", note="Adverts"
        )
    assert (result.changed, result.unchanged) == (3, 0)
    assert all(fresh(item).is_hidden for item in items)
    logged = ModerationLog.objects.count()
    notices = Notification.objects.filter(kind="moderation.hidden").count()
    sent = len(mail.outbox)
    assert notices == 3
    with django_capture_on_commit_callbacks(execute=True):
        again = services.moderation_bulk(
            moderator=moderator, action="hide", items=keys, reason="abuse"
        )
    assert (again.changed, again.unchanged) == (0, 3)
    assert ModerationLog.objects.count() == logged
    assert Notification.objects.filter(kind="moderation.hidden").count() == notices
    assert len(mail.outbox) == sent
    assert {fresh(item).hidden_reason for item in items} == {"spam"}
    restored = services.moderation_bulk(moderator=moderator, action="restore", items=keys)
    assert restored.changed == 3 and all(fresh(item).is_visible for item in items)


def test_bulk_is_all_or_nothing(items, moderator, monkeypatch):
    """A failure part-way rolls back the items already hidden."""
    from moderation import registry

    kind = registry.get("proposal")
    broken = registry.Kind(**{**kind.__dict__, "changed": _explode})
    monkeypatch.setitem(registry._KINDS, "proposal", broken)
    keys = [("comment", items[0].pk), ("proposal", items[1].pk)]
    with pytest.raises(RuntimeError):
        services.moderation_bulk(moderator=moderator, action="hide", items=keys, reason="spam")
    assert fresh(items[0]).is_visible and fresh(items[1]).is_visible
    assert not ModerationLog.objects.filter(action=ModerationAction.HIDE).exists()


def _explode(obj, *, hidden):
    raise RuntimeError("boom")


def test_bulk_refuses_unknown_types_and_too_many(moderator):
    with pytest.raises(Invalid):
        services.parse_items(["complaint:1"])
    with pytest.raises(Invalid):
        services.moderation_bulk(
            moderator=moderator,
            action="dismiss",
            items=[("comment", n) for n in range(services.BULK_MAX_ITEMS + 1)],
        )
    assert services.parse_items(["comment:3", "petition:4"]) == [("comment", 3), ("petition", 4)]
