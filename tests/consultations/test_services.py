from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from consultations import selectors, services
from consultations.models import (
    Comment,
    Discussion,
    PostingBlock,
    Proposal,
    Support,
)
from core.errors import DomainError, Invalid, Refused
from core.models import Notification
from moderation import services as moderation_services
from moderation.models import ModerationAction, ModerationLog, Report
from tests import factories


def counts(page):
    d = Discussion.objects.get(translation_key=page.translation_key)
    return d.comment_count, d.proposal_count


def test_comment_on_section_is_sanitised_and_counted(consultation, resident):
    anchor = consultation.sections()[0]["anchor"]
    comment = services.comment_create(
        page=consultation,
        author=resident,
        section=anchor,
        stance="for",
        body='<p onclick="x()">Yes <a href="javascript:alert(1)">x</a><script>alert(1)</script></p>'
        '<a href="https://example.org">link</a>',
    )
    assert comment.section == anchor
    assert "script" not in comment.body and "onclick" not in comment.body
    assert "javascript" not in comment.body
    assert 'rel="nofollow ugc' in comment.body
    assert counts(consultation) == (1, 0)


def test_unknown_section_and_empty_body_are_field_errors(consultation, resident):
    with pytest.raises(DomainError) as error:
        services.comment_create(page=consultation, author=resident, body="x", section="nope")
    assert error.value.field == "section"
    with pytest.raises(DomainError) as error:
        services.comment_create(page=consultation, author=resident, body="<script>x</script>")
    assert error.value.field == "body"
    assert Comment.objects.count() == 0


def test_replies_to_depth_three_inherit_the_section(consultation, resident, other_resident):
    anchor = consultation.sections()[2]["anchor"]
    top = services.comment_create(page=consultation, author=resident, body="a", section=anchor)
    reply = services.comment_create(page=consultation, author=other_resident, body="b", parent=top)
    reply2 = services.comment_create(page=consultation, author=resident, body="c", parent=reply)
    reply3 = services.comment_create(page=consultation, author=resident, body="d", parent=reply2)
    assert (reply.depth, reply2.depth, reply3.depth) == (1, 2, 3)
    assert reply3.section == anchor
    with pytest.raises(DomainError) as error:
        services.comment_create(page=consultation, author=resident, body="e", parent=reply3)
    assert error.value.field == "parent"
    top.refresh_from_db()
    assert top.reply_count == 1


def test_edit_within_window_only(consultation, resident, other_resident):
    comment = services.comment_create(page=consultation, author=resident, body="first")
    services.comment_edit(comment=comment, user=resident, body="<p>second</p>", stance="against")
    comment.refresh_from_db()
    assert comment.body == "<p>second</p>" and comment.stance == "against" and comment.edited_at
    with pytest.raises(DomainError) as error:
        services.comment_edit(comment=comment, user=other_resident, body="x")
    assert error.value.status == 403
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=1))
    comment.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.comment_edit(comment=comment, user=resident, body="third")
    assert error.value.status == 409 and error.value.code == "edit_window_passed"


def test_delete_leaves_a_tombstone_and_keeps_replies(
    client_for, consultation, resident, other_resident
):
    top = services.comment_create(page=consultation, author=resident, body="secret words")
    reply = services.comment_create(
        page=consultation, author=other_resident, body="answer", parent=top
    )
    services.comment_delete(comment=top, user=resident)
    services.comment_delete(comment=top, user=resident)  # a repeat changes nothing
    top.refresh_from_db()
    assert top.is_deleted and top.body == ""
    assert counts(consultation) == (1, 0)
    data = client_for(None).get(f"/api/v1/consultations/{consultation.pk}/comments").json()
    assert data["items"][0]["id"] == top.pk and data["items"][0]["deleted"] is True
    assert "secret" not in str(data)
    replies = (
        client_for(None)
        .get(f"/api/v1/consultations/{consultation.pk}/comments?parent={top.pk}")
        .json()
    )
    assert [c["id"] for c in replies["items"]] == [reply.pk]


def test_posting_is_rate_limited_per_account(
    settings, client_for, consultation, resident, other_resident
):
    settings.CONSULTATIONS_POST_LIMIT = 3
    client = client_for(resident)
    url = f"/api/v1/consultations/{consultation.pk}/comments"
    for _ in range(3):
        assert client.post(url, {"body": "hi"}, content_type="application/json").status_code == 201
    response = client.post(url, {"body": "hi"}, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and response["Retry-After"]
    assert response["Retry-After"] in response.json()["detail"]
    # Another account is not affected.
    other = client_for(other_resident).post(url, {"body": "hi"}, content_type="application/json")
    assert other.status_code == 201


def test_keyset_pagination_both_orders(consultation, resident):
    discussion = services.discussion_for_page(page=consultation)
    Comment.objects.bulk_create(
        Comment(discussion=discussion, author=resident, body=f"<p>{i}</p>") for i in range(120)
    )
    seen, cursor = [], None
    while True:
        page = selectors.comment_page(discussion=discussion, cursor=cursor)
        assert len(page.items) <= 50
        seen += [c.pk for c in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == sorted(seen, reverse=True) and len(seen) == 120
    oldest = selectors.comment_page(discussion=discussion, order="oldest", limit=10)
    ids = [c.pk for c in oldest.items]
    assert ids == sorted(ids) and ids[0] == min(seen)
    following = selectors.comment_page(
        discussion=discussion, order="oldest", cursor=oldest.next_cursor
    )
    assert following.items[0].pk == ids[-1] + 1


def test_bad_cursor_is_a_400(client_for, consultation):
    response = client_for(None).get(f"/api/v1/consultations/{consultation.pk}/comments?cursor=%%%")
    assert response.status_code == 400
    assert response.json()["field"] == "cursor"


def test_support_once_per_person(consultation, resident, other_resident):
    proposal = services.proposal_create(
        page=consultation, author=resident, title="Ramps", body="Everywhere"
    )
    assert services.proposal_support(proposal=proposal, user=other_resident) == 1
    assert services.proposal_support(proposal=proposal, user=other_resident) == 1
    assert services.proposal_support(proposal=proposal, user=resident) == 2
    assert Support.objects.filter(proposal=proposal).count() == 2


def test_answer_notifies_proposer_and_supporters(
    consultation, resident, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    supporters = [factories.resident() for _ in range(3)]
    proposal = services.proposal_create(page=consultation, author=resident, title="Ramps", body="b")
    for user in supporters:
        services.proposal_support(proposal=proposal, user=user)
    with pytest.raises(DomainError) as error:
        services.proposal_answer(proposal=proposal, staff=supervisor, status="rejected", answer=" ")
    assert error.value.field == "answer"
    with pytest.raises(DomainError) as error:
        services.proposal_answer(proposal=proposal, staff=resident, status="accepted", answer="ok")
    assert error.value.status == 403
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_answer(
            proposal=proposal, staff=supervisor, status="rejected", answer="<p>Costs too much.</p>"
        )
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and proposal.answered_by == supervisor
    notified = set(
        Notification.objects.filter(kind="consultations.proposal_answered").values_list(
            "user", flat=True
        )
    )
    assert notified == {resident.pk, *(u.pk for u in supporters)}
    assert Notification.objects.filter(kind="consultations.proposal_answered").first().payload == {
        "proposal": proposal.pk
    }
    assert [m.to for m in mail.outbox] == [[resident.email]]


def test_hide_restore_report_and_log(
    consultation, resident, other_resident, moderator, django_capture_on_commit_callbacks
):
    comment = services.comment_create(page=consultation, author=resident, body="rude")
    report = moderation_services.report_create(user=other_resident, target=comment, reason="abuse")
    again = moderation_services.report_create(user=other_resident, target=comment, reason="spam")
    assert report.pk == again.pk
    with pytest.raises(Refused):
        moderation_services.moderation_hide(
            target=comment, moderator=other_resident, reason="abuse"
        )
    with pytest.raises(Invalid) as error:
        moderation_services.moderation_hide(target=comment, moderator=moderator, reason="because")
    assert error.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.moderation_hide(
            target=comment, moderator=moderator, reason="abuse", note="Insults"
        )
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "abuse"
    assert counts(consultation) == (0, 0)
    assert Report.objects.get(pk=report.pk).resolved_by == moderator
    # The author is told why: a notification and an e-mail naming the reason.
    assert Notification.objects.filter(user=resident, kind="moderation.hidden").exists()
    assert "Insults" in mail.outbox[-1].body
    moderation_services.moderation_restore(target=comment, moderator=moderator)
    comment.refresh_from_db()
    assert comment.is_visible and counts(consultation) == (1, 0)
    actions = list(ModerationLog.objects.order_by("id").values_list("action", flat=True))
    assert actions == [ModerationAction.REPORT, ModerationAction.HIDE, ModerationAction.RESTORE]


def test_hidden_comment_shows_only_id_and_reason(client_for, consultation, resident, moderator):
    comment = services.comment_create(page=consultation, author=resident, body="private stuff")
    moderation_services.moderation_hide(target=comment, moderator=moderator, reason="personal_data")
    item = (
        client_for(None).get(f"/api/v1/consultations/{consultation.pk}/comments").json()["items"][0]
    )
    assert set(item) == {"id", "hidden", "reason"}
    assert item["hidden"] is True and item["reason"]
    page = client_for(None).get(consultation.url).content.decode()
    assert "private stuff" not in page
    assert "gave away personal information" in page or "개인정보" in page


def test_block_stops_posting_and_tells_the_author(client_for, consultation, resident, moderator):
    comment = services.comment_create(page=consultation, author=resident, body="spam spam")
    services.author_block(moderator=moderator, user=comment.author, reason="spam", note="Adverts")
    assert PostingBlock.objects.filter(user=resident).exists()
    assert Notification.objects.filter(user=resident, kind="consultations.blocked").exists()
    with pytest.raises(DomainError) as error:
        services.comment_create(page=consultation, author=resident, body="more")
    assert error.value.code == "blocked"
    response = client_for(resident).get("/ko/consultations/blocked/")
    assert "Adverts" in response.content.decode()
    services.author_unblock(moderator=moderator, user=resident)
    services.comment_create(page=consultation, author=resident, body="sorry")
    assert list(
        ModerationLog.objects.filter(subject=resident)
        .values_list("action", flat=True)
        .order_by("id")
    ) == [
        ModerationAction.BLOCK,
        ModerationAction.UNBLOCK,
    ]


def test_proposal_hide_shows_reason_only(client_for, consultation, resident, moderator):
    proposal = services.proposal_create(page=consultation, author=resident, title="Ads", body="Buy")
    moderation_services.moderation_hide(target=proposal, moderator=moderator, reason="spam")
    items = client_for(None).get(f"/api/v1/consultations/{consultation.pk}/proposals").json()
    assert items == [{"id": proposal.pk, "hidden": True, "reason": items[0]["reason"]}]
    assert Proposal.objects.get(pk=proposal.pk).is_hidden
