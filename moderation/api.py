"""One API shape for every moderated type:

    POST {plural}/{id}/reports   anyone signed in    {"reason", "note"?} -> 201 {"id", "reason"}
    POST {plural}/{id}/hide      moderators          {"reason", "note"?} -> the item
    POST {plural}/{id}/restore   moderators                             -> the item
    POST {plural}/{id}/dismiss   moderators          {"note"?}          -> {"dismissed"}
    POST moderation/bulk         moderators          {"action", "items": [{"type", "id"}], ...}
    GET  moderation/queue        moderators          ?type=&status=reported|hidden

with `plural` one of comments, proposals, petitions (the registered kinds).
Errors are core.errors, answered by core.api in the contract's JSON shape.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django_fsm import ConcurrentTransition
from ninja import Router, Schema, Status
from pydantic import Field

from core.api import ObjectId, current_user, session_auth
from core.errors import NotNow, Refused

from . import registry, selectors, services
from .models import NOTE_MAX_LENGTH

router = Router(tags=["moderation"])

KIND_PLURALS = ("comments", "proposals", "petitions")


class ReportIn(Schema):
    reason: str = Field(max_length=40)
    note: str = Field(default="", max_length=NOTE_MAX_LENGTH)


class HideIn(Schema):
    reason: str = Field(max_length=40)
    note: str = Field(default="", max_length=NOTE_MAX_LENGTH)


class DismissIn(Schema):
    note: str = Field(default="", max_length=NOTE_MAX_LENGTH)


class ItemIn(Schema):
    type: Literal["comment", "proposal", "petition"]
    id: ObjectId


class BulkIn(Schema):
    action: Literal["hide", "restore", "dismiss"]
    items: list[ItemIn] = Field(max_length=services.BULK_MAX_ITEMS)
    reason: str = Field(default="", max_length=40)
    note: str = Field(default="", max_length=NOTE_MAX_LENGTH)


def _kind(plural: str) -> registry.Kind:
    kind = registry.by_plural(plural)
    if kind is None:  # only registered plurals have routes
        raise LookupError(plural)
    return kind


def _transition(fn, **kwargs):
    try:
        return fn(**kwargs)
    except ConcurrentTransition:
        raise NotNow(code="conflict") from None


def _moderator(request: HttpRequest):
    user = current_user(request)
    if not services.may_moderate(user):
        raise Refused(code="permission_denied")
    return user


def _add_routes(plural: str) -> None:
    singular = plural[:-1]

    @router.post(
        f"/{plural}/{{int:item_id}}/reports",
        auth=session_auth,
        response={201: dict},
        operation_id=f"report_{singular}",
        summary=f"Report a {singular}",
    )
    def report(request: HttpRequest, item_id: ObjectId, payload: ReportIn):
        kind = _kind(plural)
        user = current_user(request)
        target = kind.get(pk=item_id, user=user)
        report = services.report_create(
            user=user, target=target, reason=payload.reason, note=payload.note
        )
        return Status(201, {"id": report.pk, "reason": report.reason})

    @router.post(
        f"/{plural}/{{int:item_id}}/hide",
        auth=session_auth,
        operation_id=f"hide_{singular}",
        summary=f"Hide a {singular} with a reason",
    )
    def hide(request: HttpRequest, item_id: ObjectId, payload: HideIn):
        kind = _kind(plural)
        user = _moderator(request)
        target = kind.get(pk=item_id, user=user)
        obj = _transition(
            services.moderation_hide,
            moderator=user,
            target=target,
            reason=payload.reason,
            note=payload.note,
        )
        return kind.data(obj)

    @router.post(
        f"/{plural}/{{int:item_id}}/restore",
        auth=session_auth,
        operation_id=f"restore_{singular}",
        summary=f"Show a hidden {singular} again",
    )
    def restore(request: HttpRequest, item_id: ObjectId):
        kind = _kind(plural)
        user = _moderator(request)
        target = kind.get(pk=item_id, user=user)
        obj = _transition(services.moderation_restore, moderator=user, target=target)
        return kind.data(obj)

    @router.post(
        f"/{plural}/{{int:item_id}}/dismiss",
        auth=session_auth,
        operation_id=f"dismiss_{singular}_reports",
        summary=f"Dismiss the open reports on a {singular}",
    )
    def dismiss(request: HttpRequest, item_id: ObjectId, payload: DismissIn):
        kind = _kind(plural)
        user = _moderator(request)
        target = kind.get(pk=item_id, user=user)
        count = services.reports_dismiss(moderator=user, target=target, note=payload.note)
        return {"dismissed": count}


for _plural in KIND_PLURALS:
    _add_routes(_plural)


@router.post("/moderation/bulk", auth=session_auth)
def bulk(request: HttpRequest, payload: BulkIn):
    """Several items of any types at once, all or nothing; a repeat changes nothing."""
    user = current_user(request)
    result = _transition(
        services.moderation_bulk,
        moderator=user,
        action=payload.action,
        items=[(item.type, item.id) for item in payload.items],
        reason=payload.reason,
        note=payload.note,
    )
    return {"changed": result.changed, "unchanged": result.unchanged}


@router.get("/moderation/queue", auth=session_auth)
def queue(
    request: HttpRequest,
    type: Literal["comment", "proposal", "petition"] | None = None,
    status: Literal["reported", "hidden"] = "reported",
):
    """Reported (or hidden) items of every type, most reported first."""
    _moderator(request)
    items = selectors.moderation_queue(kind=type, status=status)
    return [
        {
            "type": item.kind.name,
            "id": item.obj.pk,
            "title": item.title,
            "url": item.url,
            "state": item.obj.state,
            "hidden_reason": item.obj.hidden_reason,
            "report_count": item.obj.report_count,
            "reports": [
                {"reason": report.reason, "note": report.note, "at": report.created_at.isoformat()}
                for report in item.reports
            ],
        }
        for item in items
    ]
