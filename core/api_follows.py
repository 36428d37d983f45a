"""`me/follows` in the JSON API (CONTRACT.md section 3)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from . import selectors, services
from .api import session_auth

router = Router(tags=["follows"])

Target = Literal["consultation", "proposal", "petition"]
API_TARGETS = ("consultation", "proposal", "petition")  # CONTRACT.md section 3


class FollowIn(Schema):
    target: Target
    id: int


@router.get("/me/follows", auth=session_auth)
def list_follows(request: HttpRequest):
    """What the caller follows: `[{"target", "id", "title", "url"}]`."""
    # The contract's targets; topics are followed on the site's pages.
    return [f for f in selectors.follow_list_for(user=request.user) if f["target"] in API_TARGETS]


@router.post("/me/follows", auth=session_auth, response={200: dict, 201: dict})
def add_follow(request: HttpRequest, payload: FollowIn):
    """Follow a thing: `201` the first time, `200` for a repeat (nothing changes)."""
    _follow, created = services.follow_add(
        user=request.user, target=payload.target, object_id=payload.id
    )
    return Status(201 if created else 200, {"target": payload.target, "id": payload.id})


@router.delete("/me/follows/{target}/{int:object_id}", auth=session_auth)
def remove_follow(request: HttpRequest, target: Target, object_id: int):
    services.follow_remove(user=request.user, target=target, object_id=object_id)
    return HttpResponse(status=204)
