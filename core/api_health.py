"""Core endpoints of the API (who am I, my notifications)."""

from django.contrib.auth import logout
from django.http import HttpRequest, JsonResponse
from ninja import Query, Router, Schema, Status

from accounts.privacy import account_data, account_delete

from .api import session_auth
from .selectors import NOTIFICATIONS_PAGE, notification_unread_count, notifications_after

router = Router(tags=["account"])


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    email_verified: bool


@router.get("/me", response=MeOut, auth=session_auth)
def me(request: HttpRequest):
    user = request.user
    return {
        "username": user.username,
        "display_name": user.get_display_name(),
        "roles": sorted(user.role_names()),
        "email_verified": user.email_verified,
    }


class PasswordIn(Schema):
    password: str


@router.delete("/me", response={204: None}, auth=session_auth)
def me_delete(request: HttpRequest, body: PasswordIn):
    """Delete the caller's account (accounts.privacy.account_delete): `204`, or
    `400` naming `password` when it is not right."""
    account_delete(user=request.user, password=body.password)
    logout(request)
    return Status(204, None)


@router.get("/me/data", auth=session_auth)
def me_data(request: HttpRequest):
    """Everything the platform holds about the caller, as JSON."""
    return JsonResponse(account_data(user=request.user), json_dumps_params={"ensure_ascii": False})


@router.get("/me/notifications", auth=session_auth)
def my_notifications(
    request: HttpRequest,
    after: int = Query(0, ge=0),
    limit: int = Query(NOTIFICATIONS_PAGE, ge=1, le=NOTIFICATIONS_PAGE),
):
    """The caller's notifications after notification `after`, oldest first, each
    as the socket sends it; `next` is the `after` for the following page, or
    null. A page whose socket was away fetches what it missed with this."""
    items, more = notifications_after(user=request.user, after=after, limit=limit)
    return {
        "items": [n.as_event() for n in items],
        "next": items[-1].pk if more else None,
    }


@router.get("/me/notifications/unread", auth=session_auth)
def my_unread_count(request: HttpRequest):
    """`{"unread": n}`: what the header's badge shows (static/js/badge.js asks
    after its socket reconnects; each live notification carries it too)."""
    return {"unread": notification_unread_count(user=request.user)}
