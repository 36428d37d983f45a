"""Writes for moderation, the same for every moderated type (`registry`).

Report, hide, restore and dismiss take the item itself; `moderation_bulk`
takes several (kind, id) pairs and runs them in one transaction, skipping
whatever is already in the state asked for, so a repeated request changes
nothing more. Each type's own consequences (counters, caches, live events)
run through its registered `changed` hook inside the same transaction;
notices and e-mails go out only after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.rules import is_authenticated
from cms.selectors import office_settings_for
from core.errors import Invalid, NotNow, Refused
from core.permissions import may
from core.sanitize import clean_text
from core.services import email_send, notification_send

from . import registry
from .models import (
    NOTE_MAX_LENGTH,
    ModerationAction,
    ModerationLog,
    Reason,
    Report,
    reason_sentence,
)

BULK_MAX_ITEMS = 200
BULK_ACTIONS = ("hide", "restore", "dismiss")


# -- who may ---------------------------------------------------------------


def may_moderate(user) -> bool:
    """The one question for moderation, asked through core.permissions."""
    return may(user, "moderation.moderate")


def _require_moderator(user) -> None:
    if not is_authenticated(user):
        raise Refused(_("Please sign in to do this."), code="not_authenticated")
    if not may_moderate(user):
        raise Refused(_("Only moderators can do this."), code="permission_denied")


def _clean_reason(reason: str) -> str:
    if reason not in Reason.values:
        raise Invalid(_("Choose one of the reasons in the list."), field="reason")
    return reason


def _clean_note(note: str) -> str:
    return clean_text(note or "").strip()[:NOTE_MAX_LENGTH]


# -- the log -----------------------------------------------------------------


def log_write(
    *, actor, action: str, target: Any = None, subject=None, reason: str = "", note: str = ""
) -> ModerationLog:
    """Append one entry (also used by consultations for blocks, deletions and answers)."""
    return ModerationLog.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=target.pk if target is not None else None,
        subject=subject,
        reason=reason,
        note=_clean_note(note),
    )


# -- reports -------------------------------------------------------------------


def report_create(*, user, target: Any, reason: str, note: str = "") -> Report:
    """Anyone signed in flags an item; a repeat while the first is open changes nothing."""
    if not is_authenticated(user):
        raise Refused(_("Please sign in to do this."), code="not_authenticated")
    kind = registry.of(target)
    reason = _clean_reason(reason)
    note = _clean_note(note)
    content_type = ContentType.objects.get_for_model(target)
    mine = Report.objects.filter(
        reporter=user, content_type=content_type, object_id=target.pk, resolved_at__isnull=True
    )
    with transaction.atomic():
        existing = mine.first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():  # a savepoint: a lost race rolls back only the insert
                report = Report.objects.create(
                    reporter=user,
                    content_type=content_type,
                    object_id=target.pk,
                    reason=reason,
                    note=note,
                )
        except IntegrityError:
            return mine.get()
        kind.model._default_manager.filter(pk=target.pk).update(report_count=F("report_count") + 1)
        log_write(
            actor=user,
            action=ModerationAction.REPORT,
            target=target,
            subject=kind.author_of(target),
            reason=reason,
            note=note,
        )
    return report


# -- one item ------------------------------------------------------------------


def _locked(kind: registry.Kind, pk: int):
    return (
        kind.model._default_manager.select_for_update(of=("self",))
        .select_related(*kind.select_related)
        .get(pk=pk)
    )


def _resolve_reports(obj: Any, moderator) -> int:
    content_type = ContentType.objects.get_for_model(obj)
    resolved = Report.objects.filter(
        content_type=content_type, object_id=obj.pk, resolved_at__isnull=True
    ).update(resolved_at=timezone.now(), resolved_by=moderator)
    type(obj)._default_manager.filter(pk=obj.pk).update(report_count=0)
    obj.report_count = 0
    return resolved


def _do_hide(kind: registry.Kind, obj: Any, *, moderator, reason: str, note: str) -> None:
    obj.hide()
    obj.hidden_reason = reason
    obj.hidden_by = moderator
    obj.hidden_at = timezone.now()
    obj.save()
    _resolve_reports(obj, moderator)
    author = kind.author_of(obj)
    log_write(
        actor=moderator,
        action=ModerationAction.HIDE,
        target=obj,
        subject=author,
        reason=reason,
        note=note,
    )
    kind.changed(obj, hidden=True)
    _tell_author_hidden(author, kind=kind, obj=obj, reason=reason, note=note)


def _do_restore(kind: registry.Kind, obj: Any, *, moderator) -> None:
    obj.restore()
    obj.hidden_reason = ""
    obj.hidden_by = None
    obj.hidden_at = None
    obj.save()
    log_write(
        actor=moderator, action=ModerationAction.RESTORE, target=obj, subject=kind.author_of(obj)
    )
    kind.changed(obj, hidden=False)


def _do_dismiss(kind: registry.Kind, obj: Any, *, moderator, note: str) -> int:
    count = _resolve_reports(obj, moderator)
    log_write(
        actor=moderator,
        action=ModerationAction.DISMISS,
        target=obj,
        subject=kind.author_of(obj),
        note=note,
    )
    return count


def moderation_hide(*, moderator, target: Any, reason: str, note: str = ""):
    """A moderator hides an item with a reason; its author is told why, in words."""
    _require_moderator(moderator)
    kind = registry.of(target)
    reason = _clean_reason(reason)
    note = _clean_note(note)
    with transaction.atomic():
        obj = _locked(kind, target.pk)
        if not obj.is_visible:
            raise NotNow(_("This is not visible, so it cannot be hidden."), code="not_visible")
        _do_hide(kind, obj, moderator=moderator, reason=reason, note=note)
    return obj


def moderation_restore(*, moderator, target: Any):
    """A moderator shows a hidden item again."""
    _require_moderator(moderator)
    kind = registry.of(target)
    with transaction.atomic():
        obj = _locked(kind, target.pk)
        if not obj.is_hidden:
            raise NotNow(_("This is not hidden."), code="not_hidden")
        _do_restore(kind, obj, moderator=moderator)
    return obj


def reports_dismiss(*, moderator, target: Any, note: str = "") -> int:
    """A moderator closes the open reports on an item, leaving it as it is."""
    _require_moderator(moderator)
    kind = registry.of(target)
    with transaction.atomic():
        obj = _locked(kind, target.pk)
        return _do_dismiss(kind, obj, moderator=moderator, note=_clean_note(note))


# -- several at once -------------------------------------------------------------


@dataclass(frozen=True)
class BulkResult:
    changed: int
    unchanged: int


def parse_items(values: list[str]) -> list[tuple[str, int]]:
    """["comment:12", "petition:3"] -> [("comment", 12), ("petition", 3)]."""
    items = []
    for value in values:
        name, _sep, pk = str(value).partition(":")
        if registry.get(name) is None or not pk.isdigit():
            raise Invalid(_("Choose items from the list."), field="items")
        items.append((name, int(pk)))
    return items


def moderation_bulk(
    *, moderator, action: str, items: list[tuple[str, int]], reason: str = "", note: str = ""
) -> BulkResult:
    """Hide (with one reason), restore or dismiss the reports of several items of any
    types, all or nothing. Items already in the state asked for are left alone, so
    sending the same request twice changes nothing the second time."""
    _require_moderator(moderator)
    if action not in BULK_ACTIONS:
        raise Invalid(_("Choose hide, show again or dismiss the reports."), field="action")
    if not items:
        raise Invalid(_("Choose at least one item."), field="items")
    if len(items) > BULK_MAX_ITEMS:
        raise Invalid(
            _("Choose at most %(max)s items at a time.") % {"max": BULK_MAX_ITEMS}, field="items"
        )
    if action == "hide":
        reason = _clean_reason(reason)
    note = _clean_note(note)
    by_kind: dict[str, tuple[registry.Kind, set[int]]] = {}
    for name, pk in items:
        found = registry.get(name)
        if found is None:
            raise Invalid(_("Choose items from the list."), field="items")
        by_kind.setdefault(name, (found, set()))[1].add(pk)
    changed = unchanged = 0
    with transaction.atomic():
        for name in sorted(by_kind):
            kind, wanted = by_kind[name]
            ids = sorted(wanted)
            rows: list[Any] = list(
                kind.model._default_manager.select_for_update(of=("self",))
                .select_related(*kind.select_related)
                .filter(pk__in=ids)
                .order_by("pk")
            )
            unchanged += len(ids) - len(rows)  # gone since the page was drawn
            for obj in rows:
                if action == "hide" and obj.is_visible:
                    _do_hide(kind, obj, moderator=moderator, reason=reason, note=note)
                elif action == "restore" and obj.is_hidden:
                    _do_restore(kind, obj, moderator=moderator)
                elif action == "dismiss" and obj.report_count:
                    _do_dismiss(kind, obj, moderator=moderator, note=note)
                else:
                    unchanged += 1
                    continue
                changed += 1
    return BulkResult(changed=changed, unchanged=unchanged)


# -- the author's notice -----------------------------------------------------------


def _tell_author_hidden(author, *, kind: registry.Kind, obj: Any, reason: str, note: str) -> None:
    """In-app (rendered in the reader's language when read) and by e-mail (in theirs)."""
    if author is None:
        return
    url = kind.url(obj)
    notification_send(
        user=author,
        kind="moderation.hidden",
        payload={"type": kind.name, "reason": reason},
        url=url,
    )
    if not author.email:
        return

    with override(author.preferred_language or "ko"):
        body = _(
            "Hello %(name)s,\n\n%(what)s\n%(note)s\nYou can see it here: %(url)s\n\n"
            "If you think this is a mistake, please contact %(office)s."
        ) % {
            "office": office_settings_for().name,
            "name": clean_text(author.get_display_name()) or author.username,
            "what": hidden_notice(kind.name, reason),
            "note": note,
            "url": settings.SITE_URL + url,
        }
        email_send(to=author.email, subject=_("A moderator hid your post"), body=body)


def hidden_notice(kind_name: str, reason: str) -> str:
    """ "A moderator hid your comment." and why, in the active language."""
    kind = registry.get(kind_name)
    what = {
        "comment": _("A moderator hid one of your comments."),
        "proposal": _("A moderator hid one of your proposals."),
        "petition": _("A moderator hid your petition."),
    }.get(kind.name if kind else "", _("A moderator hid something you wrote."))
    return f"{what} {reason_sentence(reason)}".strip()
