"""Core endpoints of the API (who am I)."""

from django.http import HttpRequest
from ninja import Router, Schema

from .api import session_auth

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
