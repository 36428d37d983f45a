"""Reads for consultations: public pages and comments, the moderation queue,
the office's summary and export. Every list runs a fixed number of queries."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale, PageViewRestriction

from core.errors import Hidden, Invalid
from core.precompiled import Precompiled

from .models import (
    Comment,
    ConsultationIndexPage,
    ConsultationPage,
    Discussion,
    PostingBlock,
    Proposal,
    Support,
    Visibility,
)

PAGE_SIZE = 50
GENERAL = "general"  # the `section` filter value for comments on the whole draft


def _language() -> str:
    return (get_language() or "ko").split("-")[0]


def consultation_list(*, parent: ConsultationIndexPage | None = None, language: str | None = None):
    """Live consultations in one language, newest first, with their counters."""
    pages = ConsultationPage.objects.live().public().order_by("-opens_at", "-pk")
    if parent is not None:
        pages = pages.child_of(parent)
    else:
        pages = pages.filter(locale__language_code=language or _language())
    pages = list(pages.select_related("locale"))
    attach_counts(pages)
    return pages


def attach_counts(pages: list[ConsultationPage]) -> None:
    keys = {p.translation_key for p in pages}
    by_key = (
        {d.translation_key: d for d in Discussion.objects.filter(translation_key__in=keys)}
        if keys
        else {}
    )
    for page in pages:
        page.discussion = by_key.get(page.translation_key)
        page.comment_count = page.discussion.comment_count if page.discussion else 0
        page.proposal_count = page.discussion.proposal_count if page.discussion else 0


def restricted() -> Exists:
    """Under a view restriction (on the page or an ancestor): wagtail's
    public() as one subquery. public() reads every restriction first, one more
    query for each comment posted and each event rendered (issue 21)."""
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
    )


# Compiled once (core.precompiled): every comment, proposal and support
# through the API reads its page so, and building this query (the page's
# inheritance join, the restriction subquery) cost more than the rest of a
# comment POST (bench/notes.md, "Query building, profiled"). The mark is a page id
# no row has.
_LIVE_PUBLIC_CONSULTATION = Precompiled(
    lambda pk: ConsultationPage.objects.live().exclude(restricted()).filter(pk=pk),
    pk=-7_340_131,
)


def consultation_get(*, pk: int) -> ConsultationPage:
    """A live, public consultation page, or 404."""
    page = _LIVE_PUBLIC_CONSULTATION.first(pk=pk)
    if page is None:
        raise Hidden
    return page


def discussion_of(*, page: ConsultationPage) -> Discussion | None:
    """The page's discussion; from the page's own row when it was read with
    ConsultationPage.routed_queryset (the cached route), else one query."""
    if hasattr(page, "routed_discussion_id"):
        if page.routed_discussion_id is None:
            return None
        return Discussion(
            id=page.routed_discussion_id,
            translation_key=page.translation_key,
            comment_count=page.routed_comment_count,
            proposal_count=page.routed_proposal_count,
            created_at=page.routed_discussion_created_at,
        )
    return Discussion.objects.filter(translation_key=page.translation_key).first()


def page_for_discussion(*, discussion: Discussion, language: str | None = None) -> ConsultationPage:
    """The consultation page (preferably in `language`) a discussion belongs to."""
    pages = ConsultationPage.objects.filter(translation_key=discussion.translation_key).live()
    page = pages.filter(locale__language_code=language or _language()).first() or pages.first()
    if page is None:
        raise Hidden
    return page


def index_page_for(*, language: str | None = None) -> ConsultationIndexPage | None:
    locale = Locale.objects.filter(language_code=language or _language()).first()
    return ConsultationIndexPage.objects.live().public().filter(locale=locale).first()


# -- comments --------------------------------------------------------------


def encode_cursor(comment_id: int) -> str:
    # live.js builds the same cursor (cursorAfter) to fetch what it missed.
    return base64.urlsafe_b64encode(f"c:{comment_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, value = raw.split(":", 1)
        if prefix != "c":
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Invalid(
            _("This cursor is not valid. Start again from the first page."), field="cursor"
        ) from None


@dataclass
class CommentPage:
    items: list[Comment]
    next_cursor: str | None


def comment_page(
    *,
    discussion: Discussion | None,
    section: str | None = None,
    parent: int | None = None,
    order: str = "newest",
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> CommentPage:
    """One page of comments by keyset (the comment id): top-level comments, or
    the replies of `parent`. Hidden and deleted ones keep their place."""
    if discussion is None:
        if cursor:
            decode_cursor(cursor)
        return CommentPage([], None)
    limit = max(1, min(limit, PAGE_SIZE))
    queryset = Comment.objects.filter(discussion=discussion).select_related("author")
    if parent is not None:
        queryset = queryset.filter(parent_id=parent)
    else:
        queryset = queryset.filter(parent__isnull=True)
        if section == GENERAL:
            queryset = queryset.filter(section="")
        elif section:
            queryset = queryset.filter(section=section)
    newest = order != "oldest"
    if cursor:
        last = decode_cursor(cursor)
        queryset = queryset.filter(id__lt=last) if newest else queryset.filter(id__gt=last)
    queryset = queryset.order_by("-id" if newest else "id")
    rows = list(queryset[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    return CommentPage(rows[:limit], next_cursor)


def latest_comment_id(*, discussion: Discussion | None) -> int:
    """The id of the newest top-level comment (0 for none): where a page's live
    catch-up starts (consultations/static/consultations/live.js)."""
    if discussion is None:
        return 0
    latest = (
        Comment.objects.filter(discussion=discussion, parent__isnull=True)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return latest or 0


def comment_get(*, pk: int) -> Comment:
    comment = Comment.objects.select_related("discussion", "author", "parent").filter(pk=pk).first()
    if comment is None:
        raise Hidden
    # A comment is public only while its consultation page is.
    if (
        not ConsultationPage.objects.live()
        .public()
        .filter(translation_key=comment.discussion.translation_key)
        .exists()
    ):
        raise Hidden
    return comment


# -- proposals -------------------------------------------------------------


# The consultation page's own list, compiled once (core.precompiled): the
# page shows each proposal's title, support and status, never its author or
# "supported by me", so neither is joined. The mark is a discussion id no
# row has; the limit is part of the compiled SQL.
PAGE_PROPOSALS = 10
_PAGE_PROPOSALS = Precompiled(
    lambda discussion_id: Proposal.objects.filter(discussion_id=discussion_id).order_by(
        "-support_count", "id"
    )[:PAGE_PROPOSALS],
    discussion_id=-7_340_134,
)


def proposal_list_for_page(*, discussion: Discussion | None) -> list[Proposal]:
    """The page's proposals, most supported first: their own columns only."""
    if discussion is None:
        return []
    return _PAGE_PROPOSALS.all(discussion_id=discussion.pk)


def proposal_list(*, discussion: Discussion | None, user=None, limit: int = 200) -> list[Proposal]:
    """Proposals by support, most supported first; `supported` tells whether `user` supports it."""
    if discussion is None:
        return []
    queryset = Proposal.objects.filter(discussion=discussion).select_related("author")
    if user is not None and user.is_authenticated:
        queryset = queryset.annotate(
            supported=Exists(Support.objects.filter(proposal=OuterRef("pk"), user=user))
        )
    return list(queryset.order_by("-support_count", "id")[:limit])


def proposal_get(*, pk: int, user=None) -> Proposal:
    queryset = Proposal.objects.select_related("discussion", "author")
    if user is not None and user.is_authenticated:
        queryset = queryset.annotate(
            supported=Exists(Support.objects.filter(proposal=OuterRef("pk"), user=user))
        )
    proposal = queryset.filter(pk=pk).first()
    if proposal is None:
        raise Hidden
    if (
        not ConsultationPage.objects.live()
        .public()
        .filter(translation_key=proposal.discussion.translation_key)
        .exists()
    ):
        raise Hidden
    return proposal


# -- posting blocks (the queue itself is moderation.selectors) ---------------


# Read on every post and every signed-in consultation page; compiled once.
# The mark is a user id no row has.
_POSTING_BLOCK = Precompiled(
    lambda user_id: PostingBlock.objects.filter(user_id=user_id), user_id=-7_340_133
)


def posting_block_of(*, user) -> PostingBlock | None:
    """The block that stops `user` from posting, if any (who set it is never shown)."""
    if user is None or not user.is_authenticated:
        return None
    return _POSTING_BLOCK.first(user_id=user.pk)


def posting_blocks(*, limit: int = 200) -> list[PostingBlock]:
    """Accounts stopped from posting, newest first (for moderators)."""
    return list(PostingBlock.objects.select_related("user", "blocked_by").order_by("-pk")[:limit])


def posting_block_by_user_id(*, user_id: int) -> PostingBlock:
    block = PostingBlock.objects.filter(user_id=user_id).select_related("user").first()
    if block is None:
        raise Hidden
    return block


# -- for the office --------------------------------------------------------


def consultation_summary(*, page: ConsultationPage) -> dict:
    """Visible comments and stance by section, and the proposals with most support."""
    discussion = discussion_of(page=page)
    rows = []
    if discussion is not None:
        counts = (
            Comment.objects.filter(discussion=discussion, state=Visibility.VISIBLE)
            .values("section")
            .annotate(
                total=Count("id"),
                stance_for=Count("id", filter=Q(stance="for")),
                stance_against=Count("id", filter=Q(stance="against")),
                stance_neutral=Count("id", filter=Q(stance="neutral")),
            )
        )
        by_section = {row["section"]: row for row in counts}
    else:
        by_section = {}
    empty = {"total": 0, "stance_for": 0, "stance_against": 0, "stance_neutral": 0}
    rows.append({"anchor": "", "title": _("The whole draft"), **empty, **by_section.get("", {})})
    rows.extend(
        {**section, **empty, **by_section.get(section["anchor"], {})} for section in page.sections()
    )
    proposals = [
        p for p in proposal_list(discussion=discussion, limit=20) if p.state == Visibility.VISIBLE
    ][:10]
    return {"discussion": discussion, "sections": rows, "proposals": proposals}


def export_comments(*, discussion: Discussion | None):
    if discussion is None:
        return Comment.objects.none()
    return Comment.objects.filter(discussion=discussion).select_related("author").order_by("id")


def export_proposals(*, discussion: Discussion | None):
    if discussion is None:
        return Proposal.objects.none()
    return Proposal.objects.filter(discussion=discussion).select_related("author").order_by("id")


# -- follows (core.follows) ------------------------------------------------------


def follow_consultations(ids: list[int]) -> dict[int, tuple[str, str]]:
    """id -> (title, url) of the live, public consultation pages among `ids`."""
    pages = ConsultationPage.objects.live().public().filter(pk__in=ids)
    return {page.pk: (page.title, page.url) for page in pages}


def follow_proposals(ids: list[int]) -> dict[int, tuple[str, str]]:
    """id -> (title, url) of the visible proposals among `ids` whose consultation is live."""
    from django.urls import reverse

    proposals = list(
        Proposal.objects.filter(pk__in=ids, state=Visibility.VISIBLE).values_list(
            "pk", "title", "discussion__translation_key"
        )
    )
    live_keys = set(
        ConsultationPage.objects.live()
        .public()
        .filter(translation_key__in={key for _pk, _title, key in proposals})
        .values_list("translation_key", flat=True)
    )
    return {
        pk: (title, reverse("consultations:proposal_detail", kwargs={"pk": pk}))
        for pk, title, key in proposals
        if key in live_keys
    }
