"""The consultations endpoints of the JSON API (CONTRACT.md section 3)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from django_fsm import ConcurrentTransition
from ninja import Query, Router, Schema, Status
from pydantic import Field

from core.api import ObjectId, current_user, optional_session_auth, session_auth
from core.errors import Raced

from . import fragments, selectors, services
from .models import (
    ANSWER_MAX_LENGTH,
    COMMENT_BODY_MAX_LENGTH,
    PROPOSAL_BODY_MAX_LENGTH,
    PROPOSAL_TITLE_MAX_LENGTH,
)
from .serialize import comment_data, proposal_data

router = Router(tags=["consultations"])


class CommentIn(Schema):
    body: str = Field(max_length=COMMENT_BODY_MAX_LENGTH)
    section: str | None = Field(default=None, max_length=64)
    parent: ObjectId | None = None
    stance: Literal["for", "against", "neutral", ""] | None = None


class CommentEditIn(Schema):
    body: str = Field(max_length=COMMENT_BODY_MAX_LENGTH)
    stance: Literal["for", "against", "neutral", ""] | None = None


class ProposalIn(Schema):
    title: str = Field(max_length=PROPOSAL_TITLE_MAX_LENGTH)
    body: str = Field(max_length=PROPOSAL_BODY_MAX_LENGTH)


class AnswerIn(Schema):
    status: str = Field(max_length=40)
    answer: str = Field(max_length=ANSWER_MAX_LENGTH)


def _consultation_data(page) -> dict:
    return {
        "id": page.pk,
        "title": page.title,
        "url": page.url,
        "phase": page.phase,
        "opens_at": page.opens_at.isoformat(),
        "closes_at": page.closes_at.isoformat(),
        "comment_count": page.comment_count,
        "proposal_count": page.proposal_count,
        "sections": page.sections(),
    }


@router.get("/consultations", auth=optional_session_auth)
def list_consultations(request: HttpRequest, language: str | None = None):
    """Live consultations in the request's language (or `language`)."""
    pages = selectors.consultation_list(language=language or get_language())
    return [_consultation_data(page) for page in pages]


@router.get("/consultations/{int:consultation_id}", auth=optional_session_auth)
def get_consultation(request: HttpRequest, consultation_id: ObjectId):
    page = selectors.consultation_get(pk=consultation_id)
    selectors.attach_counts([page])
    return _consultation_data(page)


@router.get("/consultations/{int:consultation_id}/comments", auth=optional_session_auth)
def list_comments(
    request: HttpRequest,
    consultation_id: ObjectId,
    section: str | None = None,
    parent: int | None = None,
    cursor: str | None = None,
    order: Literal["newest", "oldest"] = "newest",
    limit: int = Query(50, ge=1, le=50),
    html: bool = False,
):
    """At most 50 comments per page with a `next` cursor. Without `parent`, the
    top-level comments (of `section`, or `general` for the whole draft);
    with `parent`, that comment's replies. With `html=true` each item also
    carries `html`, the comment as the page (in this consultation's language)
    shows it, and the answer `comment_count`: what a live page fetches after a
    reconnect (consultations/static/consultations/live.js)."""
    page = selectors.consultation_get(pk=consultation_id)
    discussion = selectors.discussion_of(page=page)
    result = selectors.comment_page(
        discussion=discussion,
        section=section,
        parent=parent,
        order=order,
        cursor=cursor,
        limit=limit,
    )
    if not html:
        return {"items": [comment_data(c) for c in result.items], "next": result.next_cursor}
    titles = fragments.section_titles(page)
    return {
        "items": [
            {**comment_data(c), "html": fragments.comment_html(c, page=page, titles=titles)}
            for c in result.items
        ],
        "next": result.next_cursor,
        "comment_count": discussion.comment_count if discussion else 0,
    }


@router.post(
    "/consultations/{int:consultation_id}/comments", auth=session_auth, response={201: dict}
)
def create_comment(request: HttpRequest, consultation_id: ObjectId, payload: CommentIn):
    page = selectors.consultation_get(pk=consultation_id)
    parent = None
    if payload.parent is not None:
        parent = selectors.comment_get(pk=payload.parent)
    comment = services.comment_create(
        page=page,
        author=current_user(request),
        body=payload.body,
        section=payload.section or "",
        parent=parent,
        stance=payload.stance or "",
        language=get_language() or "",
    )
    return Status(201, comment_data(comment))


@router.patch("/comments/{int:comment_id}", auth=session_auth)
def edit_comment(request: HttpRequest, comment_id: ObjectId, payload: CommentEditIn):
    comment = selectors.comment_get(pk=comment_id)
    comment = services.comment_edit(
        comment=comment, user=current_user(request), body=payload.body, stance=payload.stance
    )
    return comment_data(comment)


@router.delete("/comments/{int:comment_id}", auth=session_auth)
def delete_comment(request: HttpRequest, comment_id: ObjectId):
    comment = selectors.comment_get(pk=comment_id)
    comment = services.comment_delete(comment=comment, user=current_user(request))
    return comment_data(comment)


def _transition(fn, **kwargs):
    try:
        return fn(**kwargs)
    except ConcurrentTransition:
        raise Raced() from None


@router.get("/consultations/{int:consultation_id}/proposals", auth=optional_session_auth)
def list_proposals(request: HttpRequest, consultation_id: ObjectId):
    """Proposals, most supported first."""
    page = selectors.consultation_get(pk=consultation_id)
    user = current_user(request)
    proposals = selectors.proposal_list(discussion=selectors.discussion_of(page=page), user=user)
    return [proposal_data(p, supported=getattr(p, "supported", None)) for p in proposals]


@router.post(
    "/consultations/{int:consultation_id}/proposals", auth=session_auth, response={201: dict}
)
def create_proposal(request: HttpRequest, consultation_id: ObjectId, payload: ProposalIn):
    page = selectors.consultation_get(pk=consultation_id)
    proposal = services.proposal_create(
        page=page,
        author=current_user(request),
        title=payload.title,
        body=payload.body,
        language=get_language() or "",
    )
    return Status(201, proposal_data(proposal))


@router.get("/proposals/{int:proposal_id}", auth=optional_session_auth)
def get_proposal(request: HttpRequest, proposal_id: ObjectId):
    proposal = selectors.proposal_get(pk=proposal_id, user=current_user(request))
    return proposal_data(proposal, supported=getattr(proposal, "supported", None))


@router.post("/proposals/{int:proposal_id}/support", auth=session_auth)
def support_proposal(request: HttpRequest, proposal_id: ObjectId):
    """One support per person; a repeat changes nothing."""
    proposal = selectors.proposal_get(pk=proposal_id)
    count = services.proposal_support(proposal=proposal, user=current_user(request))
    return {"support_count": count}


@router.post("/proposals/{int:proposal_id}/answer", auth=session_auth)
def answer_proposal(request: HttpRequest, proposal_id: ObjectId, payload: AnswerIn):
    proposal = selectors.proposal_get(pk=proposal_id)
    proposal = _transition(
        services.proposal_answer,
        proposal=proposal,
        staff=current_user(request),
        status=payload.status,
        answer=payload.answer,
    )
    return proposal_data(proposal)


# Reports, hide and restore of comments and proposals: moderation.api (one shape).
