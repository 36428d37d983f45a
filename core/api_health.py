"""Core endpoints of the API (who am I, my notifications)."""

from django.http import HttpRequest
from ninja import Query, Router, Schema

from .api import session_auth
from .selectors import NOTIFICATIONS_PAGE, notifications_after

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
