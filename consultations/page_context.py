"""What the consultation page shows (ConsultationPage.get_context): reads only,
a fixed number of queries whatever the size of the discussion. Out of views.py
(issue 15, "no circles"): the page model imports this, and this imports no view.

Queries (pinned in tests/consultations/test_queries.py): the discussion, one
page of comments, the proposals; signed in also the posting block (one query
for both "may post" and the notice).
"""

from __future__ import annotations

from django.http import HttpRequest

from core.errors import Invalid
from core.permissions import may

from . import selectors
from .forms import CommentForm

PAGE_COMMENTS = 20


def consultation_page_context(request: HttpRequest, page) -> dict:
    """What consultation_page.html shows: a fixed number of queries whatever the size."""
    discussion = selectors.discussion_of(page=page)
    order = "oldest" if request.GET.get("order") == "oldest" else "newest"
    section = request.GET.get("section") or None
    try:
        comments = selectors.comment_page(
            discussion=discussion,
            section=section,
            order=order,
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_COMMENTS,
        )
    except Invalid:
        comments = selectors.comment_page(
            discussion=discussion, section=section, order=order, limit=PAGE_COMMENTS
        )
    if order == "newest" and not section and not request.GET.get("cursor"):
        latest_comment_id = comments.items[0].pk if comments.items else 0
    else:
        latest_comment_id = selectors.latest_comment_id(discussion=discussion)
    user = request.user
    sections = page.sections()
    titles = {s["anchor"]: s["title"] for s in sections}
    for comment in comments.items:
        comment.section_title = titles.get(comment.section, "")
    proposals = selectors.proposal_list_for_page(discussion=discussion)
    posting_block = selectors.posting_block_of(user=user)
    # One query for the block: the notice and "may post" both come from it.
    may_post = bool(
        user.is_authenticated
        and posting_block is None
        and may(user, "consultations.participate_unless_blocked")
    )
    return {
        "discussion": discussion,
        "comment_count": discussion.comment_count if discussion else 0,
        "proposal_count": discussion.proposal_count if discussion else 0,
        "sections": sections,
        "comments": comments.items,
        "next_cursor": comments.next_cursor,
        "latest_comment_id": latest_comment_id,
        "order": order,
        "section_filter": section or "",
        "proposals": proposals,
        "may_post": may_post and page.is_open,
        "comment_form": CommentForm(sections=sections) if may_post and page.is_open else None,
        "posting_block": posting_block,
        "is_moderator": may(user, "consultations.moderate"),
        "is_staff_member": may(user, "consultations.export"),
    }
