"""The events endpoints of the JSON API (CONTRACT.md section 3)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from core.api import current_user, optional_session_auth, session_auth
from core.errors import Invalid

from . import selectors, services
from .models import Registration

router = Router(tags=["events"])


class RegistrationIn(Schema):
    access_needs: str = Field(default="", max_length=Registration.MAX_ACCESS_NEEDS)


def event_data(event) -> dict:
    return {
        "id": event.pk,
        "title": event.title,
        "kind": event.kind,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "place": event.place,
        "language": event.event_language,
        "interpretation": event.interpretation,
        "accessibility": event.accessibility,
        "capacity": event.capacity,
        "registered": event.registered_count,
        "waiting": event.waiting_count,
        "url": event.url,
    }


@router.get("/events", auth=optional_session_auth)
def list_events(request: HttpRequest, language: str | None = None):
    """Live events in the request's language, upcoming first."""
    return [event_data(e) for e in selectors.event_list(language=language or get_language())]


@router.post(
    "/events/{int:event_id}/registrations",
    auth=session_auth,
    response={200: dict, 201: dict},
)
def register(request: HttpRequest, event_id: int):
    """`201 {"status"}` with a seat or a place on the waiting list; a repeat `200`.
    The body `{"access_needs"?}` may be left out altogether."""
    payload = _registration_in(request)
    event = selectors.event_get(pk=event_id)
    registration, created = services.registration_create(
        event=event, user=current_user(request), access_needs=payload.access_needs
    )
    return Status(201 if created else 200, {"status": registration.status})


def _registration_in(request: HttpRequest) -> RegistrationIn:
    if not request.body.strip():
        return RegistrationIn()
    try:
        data = json.loads(request.body)
    except ValueError:
        raise Invalid(_("The request body is not valid JSON."), field="body") from None
    if not isinstance(data, dict):
        raise Invalid(_("The request body is not valid JSON."), field="body")
    needs = data.get("access_needs", "")
    if needs is None:
        needs = ""
    if not isinstance(needs, str):
        raise Invalid(_("This value has the wrong format."), field="access_needs")
    if len(needs) > Registration.MAX_ACCESS_NEEDS:
        raise Invalid(
            _("This text is too long (at most %(max)s characters).")
            % {"max": Registration.MAX_ACCESS_NEEDS},
            field="access_needs",
        )
    return RegistrationIn(access_needs=needs)


@router.delete("/events/{int:event_id}/registrations", auth=session_auth)
def cancel(request: HttpRequest, event_id: int):
    event = selectors.event_get(pk=event_id)
    services.registration_cancel(event=event, user=current_user(request))
    return HttpResponse(status=204)
