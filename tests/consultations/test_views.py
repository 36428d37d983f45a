"""The HTML side: works without JavaScript, refuses with 404 whom it must (403 to
whoever may see the comment or proposal but not do this, as the API answers)."""

import pytest

from consultations import services
from consultations.models import Comment, Proposal
from moderation import services as moderation_services
from moderation.models import Report


def test_index_redirects_to_the_index_page_or_lists(client_for, index_page, consultation):
    assert index_page.url == "/ko/consultations/"  # the same path as consultations:index
    page = client_for(None).get("/ko/consultations/")
    assert page.status_code == 200
    assert consultation.title in page.content.decode()
    index_page.slug = "public-consultations"
    index_page.save_revision().publish()
    response = client_for(None).get("/ko/consultations/")
    assert response.status_code == 302 and response["Location"] == "/ko/public-consultations/"


def test_index_lists_when_there_is_no_index_page(client_for, site_pages):
    response = client_for(None).get("/en/consultations/")
    assert response.status_code == 200
    assert "There are no consultations" in response.content.decode()


def test_comment_form_without_javascript(client_for, consultation, resident):
    client = client_for(resident)
    anchor = consultation.sections()[0]["anchor"]
    page = client.get(consultation.url).content.decode()
    assert 'name="body"' in page and f'value="{anchor}"' in page
    response = client.post(
        f"/ko/consultations/{consultation.pk}/comment/",
        {"body": "Good idea", "section": anchor, "stance": "for"},
    )
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.section == anchor and comment.stance == "for"
    # Reply from the thread page.
    thread = client.get(f"/ko/consultations/comments/{comment.pk}/")
    assert 'name="parent"' in thread.content.decode()
    client.post(
        f"/ko/consultations/{consultation.pk}/comment/", {"body": "Reply", "parent": comment.pk}
    )
    assert Comment.objects.get(parent=comment).section == anchor


def test_empty_comment_shows_the_error_summary(client_for, consultation, resident):
    response = client_for(resident).post(
        f"/ko/consultations/{consultation.pk}/comment/", {"body": ""}
    )
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not Comment.objects.exists()


def test_closed_consultation_says_so_and_refuses(client_for, make_consultation, resident):
    page = make_consultation("closed")
    client = client_for(resident)
    html = client.get(page.url).content.decode()
    assert 'name="body"' not in html
    response = client.post(f"/ko/consultations/{page.pk}/comment/", {"body": "late"}, follow=True)
    assert not Comment.objects.exists()
    assert (
        response.redirect_chain
        and "closed" in response.content.decode().lower()
        or "마감" in (response.content.decode())
    )


def test_proposal_create_support_and_answer(
    client_for, consultation, resident, other_resident, supervisor
):
    response = client_for(resident).post(
        f"/ko/consultations/{consultation.pk}/proposals/new/",
        {"title": "Ramps", "body": "Everywhere"},
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    supporter = client_for(other_resident)
    supporter.post(f"/ko/consultations/proposals/{proposal.pk}/support/")
    supporter.post(f"/ko/consultations/proposals/{proposal.pk}/support/")
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    # The proposal is public: a resident may see it but not answer it (403, as the API).
    assert (
        client_for(resident).get(f"/ko/consultations/proposals/{proposal.pk}/answer/").status_code
        == 403
    )
    staff = client_for(supervisor)
    response = staff.post(
        f"/ko/consultations/proposals/{proposal.pk}/answer/", {"status": "rejected", "answer": ""}
    )
    assert response.status_code == 400
    staff.post(
        f"/ko/consultations/proposals/{proposal.pk}/answer/",
        {"status": "accepted", "answer": "We will do it."},
    )
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert (
        "We will do it."
        in client_for(None).get(f"/ko/consultations/proposals/{proposal.pk}/").content.decode()
    )


@pytest.mark.parametrize("who", [None, "resident", "moderator"])
def test_office_pages_are_404_for_others(client_for, consultation, resident, moderator, who):
    user = {"resident": resident, "moderator": moderator, None: None}[who]
    client = client_for(user)
    for suffix in ("export.csv", "export.xlsx"):
        response = client.get(f"/ko/consultations/{consultation.pk}/{suffix}")
        assert response.status_code == (302 if user is None else 404)
    response = client.get(f"/ko/consultations/{consultation.pk}/summary/")
    assert response.status_code == (302 if user is None else 404)


def test_summary_counts_by_section_and_stance(
    client_for, consultation, resident, other_resident, supervisor
):
    first = consultation.sections()[0]
    services.comment_create(
        page=consultation, author=resident, body="a", section=first["anchor"], stance="for"
    )
    services.comment_create(
        page=consultation,
        author=other_resident,
        body="b",
        section=first["anchor"],
        stance="against",
    )
    proposal = services.proposal_create(
        page=consultation, author=resident, title="Top idea", body="b"
    )
    services.proposal_support(proposal=proposal, user=other_resident)
    html = (
        client_for(supervisor).get(f"/ko/consultations/{consultation.pk}/summary/").content.decode()
    )
    assert first["title"] in html and "Top idea" in html
    assert "<td>2</td><td>1</td><td>1</td><td>0</td>" in html


def test_moderation_queue_hide_and_block(
    client_for, consultation, resident, other_resident, moderator
):
    comment = services.comment_create(page=consultation, author=resident, body="nasty")
    moderation_services.report_create(user=other_resident, target=comment, reason="abuse")
    assert client_for(resident).get("/ko/consultations/moderation/").status_code == 404
    client = client_for(moderator)
    assert "nasty" in client.get("/ko/consultations/moderation/").content.decode()
    client.post(
        f"/ko/consultations/moderation/comment/{comment.pk}/hide/", {"reason": "abuse", "note": ""}
    )
    comment.refresh_from_db()
    assert comment.is_hidden
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    client.post(f"/ko/consultations/moderation/comment/{comment.pk}/block/", {"reason": "abuse"})
    assert resident.consultation_block.reason == "abuse"
    html = client_for(None).get(consultation.url).content.decode()
    assert "nasty" not in html
    assert (
        client.get(f"/ko/consultations/moderation/comment/{comment.pk}/explode/").status_code == 404
    )


def test_edit_and_delete_own_comment_only(client_for, consultation, resident, other_resident):
    comment = services.comment_create(page=consultation, author=resident, body="mine")
    assert (
        client_for(other_resident).get(f"/ko/consultations/comments/{comment.pk}/edit/").status_code
        == 403
    )
    assert (
        client_for(other_resident)
        .post(f"/ko/consultations/comments/{comment.pk}/delete/")
        .status_code
        == 403
    )
    client = client_for(resident)
    client.post(f"/ko/consultations/comments/{comment.pk}/edit/", {"body": "changed", "stance": ""})
    comment.refresh_from_db()
    assert comment.body == "<p>changed</p>" or "changed" in comment.body
    client.post(f"/ko/consultations/comments/{comment.pk}/delete/")
    comment.refresh_from_db()
    assert comment.is_deleted


def test_unpublished_consultation_is_404_everywhere(client_for, consultation, resident):
    comment = services.comment_create(page=consultation, author=resident, body="x")
    consultation.unpublish()
    client = client_for(resident)
    assert client.get(f"/api/v1/consultations/{consultation.pk}/comments").status_code == 404
    assert client.get(f"/ko/consultations/comments/{comment.pk}/").status_code == 404
    assert client.get(f"/api/v1/consultations/{consultation.pk}").status_code == 404
