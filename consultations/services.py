"""Writes for consultations. Each service checks who may act, runs in one
transaction, keeps the denormalised counters with F() and sends events,
notifications and e-mails only after commit."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django_fsm import ConcurrentTransition

from accounts.roles import Role
from cms.selectors import office_settings_for
from core import page_cache
from core.cache_generations import CACHE_DOWN
from core.errors import Invalid, NotNow, Raced, Refused, SignInRequired, TooFast
from core.permissions import may
from core.precompiled import Precompiled
from core.sanitize import clean_html, clean_text
from core.services import email_send, notification_send
from core.tasks import enqueue_on_commit
from moderation import services as moderation
from moderation.models import ModerationAction

from . import events, news
from .models import (
    ANSWER_MAX_LENGTH,
    ANSWER_STATUSES,
    COMMENT_BODY_MAX_LENGTH,
    MODERATION_NOTE_MAX_LENGTH,
    PROPOSAL_BODY_MAX_LENGTH,
    PROPOSAL_TITLE_MAX_LENGTH,
    Comment,
    ConsultationPage,
    Discussion,
    PostingBlock,
    Proposal,
    Reason,
    Stance,
    Support,
)
from .rules import EDIT_WINDOW
from .selectors import page_for_discussion
from .serialize import comment_data

logger = logging.getLogger(__name__)

MAX_DEPTH = 3  # a comment, a reply, a reply to the reply, and one more
DEFAULT_POST_LIMIT = 10  # posts (comments and proposals) per account ...
DEFAULT_POST_WINDOW = 60  # ... every this many seconds


class ConsultationClosed(NotNow):
    """The consultation is not open (not yet, or no longer) for new posts."""

    default_code = "consultation_closed"
    default_message = gettext_lazy("This consultation is closed. You can still read everything.")


# -- gates -----------------------------------------------------------------


def _require_signed_in(user) -> None:
    if user is None or not user.is_authenticated:
        raise SignInRequired()


def _require_participant(user) -> None:
    """Signed-in residents with a confirmed e-mail who are not blocked."""
    _require_signed_in(user)
    if may(user, "consultations.participate"):
        return
    # The rule said no; say which of its conditions failed.
    if not user.has_role(Role.RESIDENT):
        raise Refused(_("Only residents can take part in consultations."), code="not_resident")
    if not user.email_verified:
        raise Refused(
            _("Please confirm your e-mail address before you take part."), code="email_not_verified"
        )
    block = PostingBlock.objects.filter(user=user).first()
    if block is not None:
        raise Refused(
            _("A moderator has stopped you from posting. Reason: %(reason)s")
            % {"reason": block.reason_label},
            code="blocked",
        )


def _require_open(page: ConsultationPage) -> None:
    if not page.is_open:
        message = (
            _("This consultation is not open yet.")
            if page.phase == "upcoming"
            else _("This consultation is closed. You can still read everything.")
        )
        raise ConsultationClosed(message)


def _throttle(user) -> None:
    """Fixed window per account: at most `limit` posts every `period` seconds.
    Fails open while the cache is down: it slows a signed-in account's flood,
    it does not guard a secret, and moderation still sees every post."""
    limit = getattr(settings, "CONSULTATIONS_POST_LIMIT", DEFAULT_POST_LIMIT)
    period = getattr(settings, "CONSULTATIONS_POST_WINDOW_SECONDS", DEFAULT_POST_WINDOW)
    now = int(timezone.now().timestamp())
    window = now - now % period
    key = f"consultations:posts:{user.pk}:{window}"
    cache.add(key, 0, period + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period + 5)
        count = 1
    except CACHE_DOWN as exc:
        logger.warning("Posting limit not counted, cache down: %s", type(exc).__name__)
        return
    if count > limit:
        wait = max(1, window + period - now)
        raise TooFast(
            _("You are posting too fast. Please wait %(seconds)s seconds and try again.")
            % {"seconds": wait},
            retry_after=wait,
            code="rate_limited",
        )


def _require_moderator(user) -> None:
    _require_signed_in(user)
    if not may(user, "consultations.moderate"):
        raise Refused(_("Only moderators can do this."), code="permission_denied")


def _too_long(field: str, text: str, limit: int) -> None:
    if len(text or "") > limit:
        raise Invalid(
            field=field,
            message=_("This text is too long (at most %(max)s characters).") % {"max": limit},
        )


def _clean_body(field: str, body: str, *, empty: str, limit: int) -> str:
    _too_long(field, body, limit)
    cleaned = clean_html(body or "").strip()
    if not clean_text(cleaned).strip():
        raise Invalid(field=field, message=empty)
    return cleaned


def _clean_reason(reason: str) -> str:
    if reason not in Reason.values:
        raise Invalid(field="reason", message=_("Choose one of the reasons in the list."))
    return reason


def _log(*, actor, action: str, comment=None, proposal=None, subject=None, reason="", note=""):
    return moderation.log_write(
        actor=actor,
        action=action,
        target=comment or proposal,
        subject=subject,
        reason=reason,
        note=note,
    )


def _page_of(discussion: Discussion) -> ConsultationPage:
    return page_for_discussion(discussion=discussion)


# -- discussions -----------------------------------------------------------


# Read on every comment and proposal; compiled once (core.precompiled). The
# mark is a translation key no page has.
_DISCUSSION = Precompiled(
    lambda key: Discussion.objects.filter(translation_key=key),
    key=uuid.UUID("00000000-0000-4000-8000-000007340135"),
)


def discussion_for_page(*, page: ConsultationPage) -> Discussion:
    discussion = _DISCUSSION.first(key=page.translation_key)
    if discussion is None:  # the page's first comment or proposal
        discussion, _created = Discussion.objects.get_or_create(
            translation_key=page.translation_key
        )
    return discussion


def _bump(model, pk: int, field: str, delta: int) -> None:
    model.objects.filter(pk=pk).update(**{field: F(field) + delta})


def _bump_returning(model, pk: int, field: str, delta: int) -> int | None:
    """_bump that gives back the new value: the live event shows it, and
    reading it again after the write is one more query on every comment (issue
    21). UPDATE ... RETURNING, which Django's update() cannot say (PostgreSQL;
    SQLite since 3.35)."""
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(model._meta.get_field(field).column)
    key = quote(model._meta.pk.column)
    # Only the model's own quoted names are formatted in; the values are parameters.
    sql = f"UPDATE {table} SET {column} = {column} + %s WHERE {key} = %s RETURNING {column}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [delta, pk])
        row = cursor.fetchone()
    return row[0] if row else None


# -- comments --------------------------------------------------------------


def comment_create(
    *,
    page: ConsultationPage,
    author,
    body: str,
    section: str = "",
    parent: Comment | None = None,
    stance: str = "",
    language: str = "",
) -> Comment:
    """A resident comments on the draft, on one section, or answers a comment."""
    _require_participant(author)
    _require_open(page)
    body = _clean_body("body", body, empty=_("Write your comment."), limit=COMMENT_BODY_MAX_LENGTH)
    if stance and stance not in Stance.values:
        raise Invalid(
            field="stance", message=_("Choose for, against or neutral, or leave it empty.")
        )
    discussion = discussion_for_page(page=page)
    depth = 0
    if parent is not None:
        if parent.discussion_id != discussion.pk or not parent.is_visible:
            raise Invalid(field="parent", message=_("You cannot reply to this comment."))
        if parent.depth >= MAX_DEPTH:
            raise Invalid(
                field="parent", message=_("This conversation is too deep. Reply higher up.")
            )
        section, depth = parent.section, parent.depth + 1
    elif section and section not in {s["anchor"] for s in page.sections()}:
        raise Invalid(field="section", message=_("This section does not exist in the draft."))
    _throttle(author)
    with transaction.atomic():
        comment = Comment.objects.create(
            discussion=discussion,
            section=section,
            parent=parent,
            depth=depth,
            author=author,
            body=body,
            stance=stance,
            language=language[:8],
        )
        count = _bump_returning(Discussion, discussion.pk, "comment_count", 1)
        if parent is not None:
            replies = _bump_returning(Comment, parent.pk, "reply_count", 1)
            if replies is not None:
                parent.reply_count = replies  # its fragment goes out with the reply
        page_cache.invalidate()
        event = {"type": "comment.created", "comment": comment_data(comment)}
        key = discussion.translation_key
        # The fragment is rendered from the comment, author and parent held here
        # (issue 21: no second read of what was just written).
        transaction.on_commit(
            lambda: events.broadcast(key, event, comment=comment, comment_count=count)
        )
    return comment


def comment_edit(*, comment: Comment, user, body: str, stance: str | None = None) -> Comment:
    """The author rewrites their comment within the edit window."""
    _require_signed_in(user)
    if not may(user, "consultations.edit_comment", comment):
        raise Refused(_("You can only change your own comments."), code="not_author")
    _require_participant(user)
    _require_open(_page_of(comment.discussion))
    if not comment.is_visible:
        raise NotNow(code="not_editable", message=_("This comment can no longer be changed."))
    if timezone.now() - comment.created_at > EDIT_WINDOW:
        raise NotNow(
            code="edit_window_passed",
            message=_("Comments can be changed for %(minutes)s minutes after posting.")
            % {"minutes": int(EDIT_WINDOW.total_seconds() // 60)},
        )
    body = _clean_body("body", body, empty=_("Write your comment."), limit=COMMENT_BODY_MAX_LENGTH)
    if stance is not None and stance and stance not in Stance.values:
        raise Invalid(
            field="stance", message=_("Choose for, against or neutral, or leave it empty.")
        )
    with transaction.atomic():
        fields = {"body": body, "edited_at": timezone.now()}
        if stance is not None:
            fields["stance"] = stance
        Comment.objects.filter(pk=comment.pk).update(**fields)
        page_cache.invalidate()
        comment.refresh_from_db()
    return comment


def comment_delete(*, comment: Comment, user) -> Comment:
    """The author deletes their comment; a tombstone keeps replies in place."""
    _require_signed_in(user)
    if not may(user, "consultations.delete_comment", comment):
        raise Refused(_("You can only delete your own comments."), code="not_author")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_deleted:
            return comment  # a repeat changes nothing
        was_visible = comment.is_visible
        comment.delete_by_author()
        comment.body = ""
        comment.stance = ""
        comment.save()
        if was_visible:
            _bump(Discussion, comment.discussion_id, "comment_count", -1)
        page_cache.invalidate()
        _log(actor=user, action=ModerationAction.DELETE, comment=comment, subject=user)
    return comment


def comment_visibility_changed(comment: Comment, *, hidden: bool) -> None:
    """moderation's hook, inside its transaction: the count, the cache, the live page."""
    _bump(Discussion, comment.discussion_id, "comment_count", -1 if hidden else 1)
    page_cache.invalidate()
    if hidden:
        event = {"type": "comment.hidden", "id": comment.pk, "reason": comment.hidden_reason}
    else:
        event = {"type": "comment.created", "comment": comment_data(comment)}
    key = comment.discussion.translation_key
    transaction.on_commit(lambda: events.broadcast(key, event))


def proposal_visibility_changed(proposal: Proposal, *, hidden: bool) -> None:
    _bump(Discussion, proposal.discussion_id, "proposal_count", -1 if hidden else 1)
    page_cache.invalidate()


def _comment_url(comment: Comment) -> str:
    return reverse("consultations:comment_thread", args=[comment.pk])


def _proposal_url(proposal: Proposal) -> str:
    return reverse("consultations:proposal_detail", args=[proposal.pk])


# -- proposals -------------------------------------------------------------


def proposal_create(
    *, page: ConsultationPage, author, title: str, body: str, language: str = ""
) -> Proposal:
    _require_participant(author)
    _require_open(page)
    title = clean_text(title or "").strip()
    if not title:
        raise Invalid(field="title", message=_("Give your proposal a title."))
    if len(title) > PROPOSAL_TITLE_MAX_LENGTH:
        raise Invalid(
            field="title",
            message=_("The title is too long (at most %(max)s characters).")
            % {"max": PROPOSAL_TITLE_MAX_LENGTH},
        )
    body = _clean_body(
        "body", body, empty=_("Describe your proposal."), limit=PROPOSAL_BODY_MAX_LENGTH
    )
    _throttle(author)
    discussion = discussion_for_page(page=page)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            discussion=discussion, author=author, title=title, body=body, language=language[:8]
        )
        _bump(Discussion, discussion.pk, "proposal_count", 1)
        page_cache.invalidate()
        news.proposal_created(proposal, _proposal_url(proposal))
    return proposal


def proposal_support(*, proposal: Proposal, user) -> int:
    """One support per person, kept by the database; a repeat changes nothing."""
    _require_participant(user)
    _require_open(_page_of(proposal.discussion))
    if not proposal.is_visible:
        raise NotNow(code="not_visible", message=_("This proposal cannot be supported."))
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: a lost race rolls back only the insert
                Support.objects.create(proposal=proposal, user=user)
            _bump(Proposal, proposal.pk, "support_count", 1)
            page_cache.invalidate()
        except IntegrityError:
            pass
    return Proposal.objects.values_list("support_count", flat=True).get(pk=proposal.pk)


def proposal_answer(*, proposal: Proposal, staff, status: str, answer: str) -> Proposal:
    """The office answers in public; the proposer and supporters are notified."""
    _require_signed_in(staff)
    if not may(staff, "consultations.answer"):
        raise Refused(
            _("Only staff of %(office)s can answer.") % {"office": office_settings_for().name},
            code="permission_denied",
        )
    if status not in ANSWER_STATUSES:
        raise Invalid(field="status", message=_("Choose one of the answers in the list."))
    _too_long("answer", answer, ANSWER_MAX_LENGTH)
    answer = clean_html(answer or "").strip()
    if not clean_text(answer).strip():
        message = (
            _("Give the reasons for rejecting the proposal.")
            if status == "rejected"
            else _("Write the answer.")
        )
        raise Invalid(field="answer", message=message)
    try:
        with transaction.atomic():
            proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
            proposal.give_answer(status)
            proposal.answer = answer
            proposal.answered_at = timezone.now()
            proposal.answered_by = staff
            proposal.save()
            page_cache.invalidate()
            _log(actor=staff, action=ModerationAction.ANSWER, proposal=proposal, note=status)
            news.proposal_answered(proposal, _proposal_url(proposal))
            enqueue_on_commit(
                "consultations.tasks.notify_proposal_answered", proposal_id=proposal.pk
            )
    except ConcurrentTransition:
        raise Raced() from None
    return proposal


def proposal_answer_notify(*, proposal: Proposal) -> int:
    """Tell the proposer and every supporter (run from a task: there may be many)."""
    url = _proposal_url(proposal)
    User = get_user_model()
    recipients = User.objects.filter(consultation_supports__proposal=proposal)
    if proposal.author_id:
        recipients = recipients | User.objects.filter(pk=proposal.author_id)
    sent = 0
    for user in recipients.distinct().only("pk").iterator(chunk_size=500):
        notification_send(
            user=user,
            kind="consultations.proposal_answered",
            payload={"proposal": proposal.pk},
            url=url,
        )
        sent += 1
    author = proposal.author
    if author is not None and author.email:
        with override(author.preferred_language):
            body = _(
                "Hello %(name)s,\n\n%(office)s answered your proposal.\n"
                "Answer: %(status)s\n\nRead the answer here: %(url)s"
            ) % {
                "office": office_settings_for().name,
                "name": clean_text(author.get_display_name()) or author.username,
                "status": proposal.get_status_display(),
                "url": settings.SITE_URL + url,
            }
            email_send(to=author.email, subject=_("Your proposal got an answer"), body=body)
    return sent


# -- blocks ------------------------------------------------------------------


def author_block(*, moderator, user, reason: str, note: str = "") -> PostingBlock:
    """Stop an account from posting; the person is told why."""
    _require_moderator(moderator)
    reason = _clean_reason(reason)
    if user is None:
        raise Invalid(field="user", message=_("This account no longer exists."))
    note = clean_text(note or "").strip()[:MODERATION_NOTE_MAX_LENGTH]
    with transaction.atomic():
        block, _created = PostingBlock.objects.update_or_create(
            user=user, defaults={"reason": reason, "note": note, "blocked_by": moderator}
        )
        _log(actor=moderator, action=ModerationAction.BLOCK, subject=user, reason=reason, note=note)
        url = reverse("consultations:my_block")
        notification_send(user=user, kind="consultations.blocked", payload={}, url=url)
        with override(user.preferred_language):
            body = _(
                "Hello %(name)s,\n\nA moderator stopped you from posting in consultations.\n"
                "Reason: %(reason)s\n%(note)s\nYou can still read everything. "
                "If you think this is a mistake, please contact %(office)s."
            ) % {
                "office": office_settings_for().name,
                "name": clean_text(user.get_display_name()) or user.username,
                "reason": Reason(reason).label,
                "note": note,
            }
            email_send(
                to=user.email, subject=_("You can no longer post in consultations"), body=body
            )
    return block


def author_unblock(*, moderator, user, note: str = "") -> None:
    """Let an account post again; `note` (why) goes into the moderation log."""
    _require_moderator(moderator)
    with transaction.atomic():
        deleted, _rows = PostingBlock.objects.filter(user=user).delete()
        if deleted:
            _log(actor=moderator, action=ModerationAction.UNBLOCK, subject=user, note=note)
