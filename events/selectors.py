"""Reads for events: lists, seat counts, a person's registration."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language

from core.errors import Hidden
from core.permissions import may

from .models import EventPage, Registration, RegistrationStatus

EVENTS_LIMIT = 200


def event_get(*, pk: int) -> EventPage:
    """A live, public event page, or 404."""
    page = EventPage.objects.live().public().filter(pk=pk).first()
    if page is None:
        raise Hidden
    return page


def event_list(*, parent=None, language: str | None = None) -> list[EventPage]:
    """Live events, upcoming first (soonest first), then past ones (latest first);
    bounded, with seat counts attached in one query."""
    queryset = EventPage.objects.live().public()
    if parent is not None:
        queryset = queryset.child_of(parent)
    else:
        queryset = queryset.filter(locale__language_code=language or get_language() or "ko")
    now = timezone.now()
    upcoming = list(queryset.filter(ends_at__gt=now).order_by("starts_at", "pk")[:EVENTS_LIMIT])
    past = list(queryset.filter(ends_at__lte=now).order_by("-starts_at", "-pk")[:EVENTS_LIMIT])
    events = upcoming + past
    attach_counts(events)
    return events


def attach_counts(events: list[EventPage]) -> None:
    keys = {e.translation_key for e in events}
    rows = (
        Registration.objects.filter(seating__translation_key__in=keys)
        .values("seating__translation_key")
        .annotate(
            registered=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
            waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        )
    )
    by_key = {row["seating__translation_key"]: row for row in rows}
    for event in events:
        row: Any = by_key.get(event.translation_key, {})
        event.registered_count = row.get("registered", 0)
        event.waiting_count = row.get("waiting", 0)


def seat_counts(*, event: EventPage) -> dict:
    attach_counts([event])
    return {
        "registered": event.registered_count,
        "waiting": event.waiting_count,
        "free": max(0, event.capacity - event.registered_count),
    }


def registration_of(*, event: EventPage, user) -> Registration | None:
    if user is None or not user.is_authenticated:
        return None
    return Registration.objects.filter(
        seating__translation_key=event.translation_key, user=user
    ).first()


def waiting_position(*, registration: Registration) -> int | None:
    """1 for the first person waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(
        seating=registration.seating, status=RegistrationStatus.WAITING
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def registrations_for_office(*, event: EventPage, user) -> list[Registration]:
    """Every registration with its access needs: only for the office."""
    if not may(user, "events.view_registrations"):
        raise Hidden
    return list(
        Registration.objects.filter(seating__translation_key=event.translation_key)
        .select_related("user")
        .order_by("status", "created_at", "pk")[:5000]
    )
