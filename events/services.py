"""Writes for events: registering, cancelling, moving the waiting list up.

Every change locks the event's `Seating` row first (select_for_update), so two
people can never take the last seat, and a cancellation moves up exactly the
people the freed seats allow, first come first served.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.api import ApiError, Conflict, FieldError
from core.permissions import may
from core.sanitize import clean_text
from core.services import notification_send

from .models import EventPage, Registration, RegistrationStatus, Seating


def _require_resident(user) -> None:
    if user is None or not user.is_authenticated:
        raise ApiError(401, "not_authenticated")
    if not may(user, "events.register"):
        raise ApiError(403, "not_resident", _("Only residents can register for events."))


def _locked_seating(event: EventPage) -> Seating:
    seating, _created = Seating.objects.get_or_create(translation_key=event.translation_key)
    return Seating.objects.select_for_update().get(pk=seating.pk)


def registration_create(
    *, event: EventPage, user, access_needs: str = ""
) -> tuple[Registration, bool]:
    """Register `user`: a seat while there are any, else the waiting list.
    Returns (registration, created); a repeat returns the existing one unchanged."""
    _require_resident(user)
    if event.is_past:
        raise Conflict("event_past", _("This event is over; registration is closed."))
    access_needs = clean_text(access_needs or "").strip()
    if len(access_needs) > Registration.MAX_ACCESS_NEEDS:
        raise FieldError(
            "access_needs",
            _("This text is too long (at most %(max)s characters).")
            % {"max": Registration.MAX_ACCESS_NEEDS},
        )
    with transaction.atomic():
        seating = _locked_seating(event)
        existing = Registration.objects.filter(seating=seating, user=user).first()
        if existing is not None:
            return existing, False
        taken = Registration.objects.filter(
            seating=seating, status=RegistrationStatus.REGISTERED
        ).count()
        status = (
            RegistrationStatus.REGISTERED if taken < event.capacity else RegistrationStatus.WAITING
        )
        registration = Registration.objects.create(
            seating=seating, user=user, status=status, access_needs=access_needs
        )
    return registration, True


def registration_cancel(*, event: EventPage, user) -> bool:
    """Cancel `user`'s registration (or place on the waiting list); the first
    people waiting move up into the seats now free. True if there was one."""
    _require_resident(user)
    with transaction.atomic():
        seating = _locked_seating(event)
        deleted, _rows = Registration.objects.filter(seating=seating, user=user).delete()
        if deleted:
            _move_up(event=event, seating=seating)
    return bool(deleted)


def _move_up(*, event: EventPage, seating: Seating) -> list[Registration]:
    """Fill free seats from the waiting list, oldest first (seating is locked)."""
    taken = Registration.objects.filter(
        seating=seating, status=RegistrationStatus.REGISTERED
    ).count()
    free = max(0, event.capacity - taken)
    if not free:
        return []
    moving = list(
        Registration.objects.filter(seating=seating, status=RegistrationStatus.WAITING)
        .select_related("user")
        .order_by("created_at", "pk")[:free]
    )
    Registration.objects.filter(pk__in=[r.pk for r in moving]).update(
        status=RegistrationStatus.REGISTERED
    )
    for registration in moving:
        registration.status = RegistrationStatus.REGISTERED
        notification_send(
            user=registration.user,
            kind="events.moved_up",
            payload={"event": event.pk, "title": event.title},
            url=event.url or "",
        )
    return moving
