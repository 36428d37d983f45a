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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

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


@dataclass(frozen=True)
class ModeratorAction:
    """One of the moderators' endpoints on an item: its body schema (None: no
    body), its OpenAPI names, and what it does to the item once found."""

    body: type[Schema] | None
    operation: str  # the operation id, "{singular}" filled in
    summary: str
    act: Callable[[registry.Kind, Any, Any, Any], Any]  # (kind, moderator, target, payload)


MODERATOR_ACTIONS = {
    "hide": ModeratorAction(
        HideIn,
        "hide_{singular}",
        "Hide a {singular} with a reason",
        lambda kind, user, target, payload: kind.data(
            _transition(
                services.moderation_hide,
                moderator=user,
                target=target,
                reason=payload.reason,
                note=payload.note,
            )
        ),
    ),
    "restore": ModeratorAction(
        None,
        "restore_{singular}",
        "Show a hidden {singular} again",
        lambda kind, user, target, payload: kind.data(
            _transition(services.moderation_restore, moderator=user, target=target)
        ),
    ),
    "dismiss": ModeratorAction(
        DismissIn,
        "dismiss_{singular}_reports",
        "Dismiss the open reports on a {singular}",
        lambda kind, user, target, payload: {
            "dismissed": services.reports_dismiss(moderator=user, target=target, note=payload.note)
        },
    ),
}


def _moderate(
    request: HttpRequest, plural: str, action: ModeratorAction, item_id: int, payload=None
):
    """The one path of a moderator's action on one item: a moderator, the item
    as they may see it (404 otherwise), then the action."""
    kind = _kind(plural)
    user = _moderator(request)
    target = kind.get(pk=item_id, user=user)
    return action.act(kind, user, target, payload)


def _moderator_route(plural: str, name: str, action: ModeratorAction) -> None:
    singular = plural[:-1]
    if action.body is None:

        def endpoint(request: HttpRequest, item_id: ObjectId):
            return _moderate(request, plural, action, item_id)

    else:

        def endpoint(request: HttpRequest, item_id: ObjectId, payload):
            return _moderate(request, plural, action, item_id, payload)

        # ninja reads the body's schema from the annotation.
        endpoint.__annotations__["payload"] = action.body
    endpoint.__name__ = name
    router.post(
        f"/{plural}/{{int:item_id}}/{name}",
        auth=session_auth,
        operation_id=action.operation.format(singular=singular),
        summary=action.summary.format(singular=singular),
    )(endpoint)


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

    for name, action in MODERATOR_ACTIONS.items():
        _moderator_route(plural, name, action)


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
