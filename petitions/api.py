"""The petitions endpoints of the JSON API (CONTRACT.md section 3)."""

from __future__ import annotations

from datetime import datetime

import pydantic
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import ConfigDict, StrictBool

from core.api import ObjectId, current_user, json_loads, session_auth
from core.errors import Invalid, Refused

from . import selectors, services
from .selectors import SORTS, TABS

router = Router(tags=["petitions"])


class PetitionOut(Schema):
    id: int
    title: str
    status: str
    signature_count: int
    threshold: int
    closes_at: datetime | None


class PetitionFilters(Schema):
    status: str | None = None
    q: str = ""
    sort: str = "signatures"


class SignatureIn(Schema):
    model_config = ConfigDict(extra="forbid")

    show_name: StrictBool = False


class SignatureCountOut(Schema):
    signature_count: int
    already_signed: bool = False


def _petition_out(petition) -> dict:
    return {
        "id": petition.pk,
        "title": petition.title,
        # The status people see: an open petition past its date is already closed.
        "status": petition.public_status,
        "signature_count": petition.signature_count,
        "threshold": petition.threshold,
        "closes_at": petition.closes_at,
    }


@router.get("/petitions", response=list[PetitionOut], auth=None)
def petition_list(request: HttpRequest, filters: Query[PetitionFilters]):
    """Every published petition (anyone). Optional `status` (open, awaiting_response,
    answered, closed), `q` (search) and `sort` (signatures, closing)."""
    if filters.status and filters.status not in TABS:
        raise Invalid(
            _("status: Choose one of: %(choices)s.") % {"choices": ", ".join(TABS)},
            code="invalid",
            field="status",
            errors=[
                {"field": "status", "message": _("This value is not one of the allowed choices.")}
            ],
        )
    if filters.sort not in SORTS:
        raise Invalid(
            _("sort: Choose one of: %(choices)s.") % {"choices": ", ".join(SORTS)},
            code="invalid",
            field="sort",
            errors=[
                {"field": "sort", "message": _("This value is not one of the allowed choices.")}
            ],
        )
    queryset = selectors.petition_public_list(
        tab=filters.status, search=filters.q.strip()[:100], sort=filters.sort
    )
    return [_petition_out(p) for p in queryset]


def _refusal(user) -> Refused:
    if not user.email_verified:
        detail = _("Confirm your e-mail address before you sign a petition.")
        return Refused(detail, code="email_not_verified")
    return Refused(_("Only residents can sign petitions."), code="permission_denied")


def _signature_body(request: HttpRequest) -> SignatureIn:
    """The body is optional (a bare POST signs without showing the name), so it
    is parsed here rather than by ninja, which requires a body once declared."""
    if request.content_type != "application/json":
        # A plain form post (or none at all): only a ticked show_name counts.
        return SignatureIn(show_name=request.POST.get("show_name") in ("1", "true", "on"))
    if not request.body.strip():
        return SignatureIn()
    data = json_loads(request.body)
    try:
        return SignatureIn.model_validate(data)
    except pydantic.ValidationError as error:
        raise ValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
        ) from None


@router.post(
    "/petitions/{petition_id}/signatures",
    response={200: SignatureCountOut, 201: SignatureCountOut},
    auth=session_auth,
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": SignatureIn.model_json_schema()}},
        }
    },
)
def petition_sign(request: HttpRequest, petition_id: ObjectId):
    """Sign once (signed-in residents with a confirmed e-mail). `201` for a new
    signature; a repeat changes nothing and answers `200` with `already_signed`.
    Optional body `{"show_name": bool}`."""
    user = current_user(request)
    payload = _signature_body(request)
    try:
        result = services.petition_sign_by_id(
            petition_id=petition_id, user=user, show_name=payload.show_name
        )
    except Refused:
        raise _refusal(user) from None
    return Status(
        201 if result.created else 200,
        {"signature_count": result.signature_count, "already_signed": not result.created},
    )


@router.delete("/petitions/{petition_id}/signatures", response=SignatureCountOut, auth=session_auth)
def petition_withdraw(request: HttpRequest, petition_id: ObjectId):
    """Withdraw one's signature while the petition is open."""
    user = current_user(request)
    petition = selectors.petition_get_for(user=user, pk=petition_id)
    count = services.petition_withdraw_signature(petition=petition, user=user)
    return {"signature_count": count}
