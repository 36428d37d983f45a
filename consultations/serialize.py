"""The JSON shapes shared by the API and the WebSocket stream.

Bodies are stored already sanitised (core.sanitize.clean_html); titles and
display names go out through clean_text, so no user-written markup survives.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.sanitize import clean_text

from .models import Comment, Proposal


def author_name(user) -> str:
    if user is None:
        return _("Former user")
    return clean_text(user.get_display_name()) or user.username


def comment_data(comment: Comment) -> dict:
    if comment.is_hidden:
        # Nothing else about a hidden comment leaves the server.
        return {"id": comment.pk, "hidden": True, "reason": comment.hidden_reason_text}
    data = {
        "id": comment.pk,
        "section": comment.section,
        "parent": comment.parent_id,
        "depth": comment.depth,
        "reply_count": comment.reply_count,
        "created_at": comment.created_at.isoformat(),
        "hidden": False,
    }
    if comment.is_deleted:
        return {
            **data,
            "deleted": True,
            "author": None,
            "body": "",
            "stance": "",
            "edited_at": None,
        }
    return {
        **data,
        "deleted": False,
        "author": author_name(comment.author),
        "body": comment.body,
        "stance": comment.stance,
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
    }


def answer_data(proposal: Proposal) -> dict | None:
    if not proposal.is_answered:
        return None
    return {
        "status": proposal.status,
        "label": str(proposal.get_status_display()),
        "text": proposal.answer,
        "answered_at": proposal.answered_at.isoformat() if proposal.answered_at else None,
    }


def proposal_data(proposal: Proposal, *, supported: bool | None = None) -> dict:
    if proposal.is_hidden:
        return {"id": proposal.pk, "hidden": True, "reason": proposal.hidden_reason_text}
    data = {
        "id": proposal.pk,
        "title": proposal.title,
        "body": proposal.body,
        "author": author_name(proposal.author),
        "support_count": proposal.support_count,
        "answer": answer_data(proposal),
        "created_at": proposal.created_at.isoformat(),
        "hidden": False,
    }
    if supported is not None:
        data["supported"] = supported
    return data
