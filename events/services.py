"""Writes for events: registering, cancelling, moving the waiting list up.

Every change locks the event's `Seating` row first (select_for_update), so two
people can never take the last seat, and a cancellation moves up exactly the
people the freed seats allow, first come first served.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consultations.models import ConsultationPage
from core import follows
from core.digests import absolute, language_of
from core.errors import Invalid, NotNow, Refused, SignInRequired
from core.models import PreferenceKind
from core.permissions import may
from core.sanitize import clean_text
from core.selectors import users_opted_out
from core.services import notification_send, unsubscribe_url
from core.tasks import send_emails

from .models import EventPage, Registration, RegistrationStatus, Seating


def _require_resident(user) -> None:
    if user is None or not user.is_authenticated:
        raise SignInRequired()
    if not may(user, "events.register"):
        raise Refused(_("Only residents can register for events."), code="not_resident")


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
        raise NotNow(_("This event is over; registration is closed."), code="event_past")
    access_needs = clean_text(access_needs or "").strip()
    if len(access_needs) > Registration.MAX_ACCESS_NEEDS:
        raise Invalid(
            _("This text is too long (at most %(max)s characters).")
            % {"max": Registration.MAX_ACCESS_NEEDS},
            field="access_needs",
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


# --- reminders the day before ------------------------------------------------------

REMINDER_BATCH = 500


def _events_tomorrow(now) -> list[EventPage]:
    """Live events starting on tomorrow's date (the site's time zone), one
    page per event (any language: the seats are shared)."""
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    return list(EventPage.objects.live().public().filter(starts_at__gte=start, starts_at__lt=end))


def reminders_send_batch(*, now=None, size: int = REMINDER_BATCH) -> int:
    """Remind one batch of the people registered (not those waiting) for an
    event that starts tomorrow, each once: the in-app notification, and an
    e-mail in their language unless they turned reminders off. The batch's
    `reminded_at`, its notifications and its one e-mail task are written in
    one transaction; two runs at once share the rows (skip_locked) and a
    rerun finds them reminded. Returns how many were reminded (0: done)."""
    now = now or timezone.now()
    events = _events_tomorrow(now)
    if not events:
        return 0
    keys = {event.translation_key for event in events}
    with transaction.atomic():
        registrations = list(
            Registration.objects.filter(
                seating__translation_key__in=keys,
                status=RegistrationStatus.REGISTERED,
                reminded_at__isnull=True,
            )
            .select_related("user", "seating")
            .order_by("pk")
            .select_for_update(skip_locked=True, of=("self",))[:size]
        )
        if not registrations:
            return 0
        pages: dict[tuple, EventPage] = {}
        for page in (
            EventPage.objects.live()
            .public()
            .filter(translation_key__in=keys)
            .select_related("locale")
        ):
            pages[(page.translation_key, page.locale.language_code)] = page
        opted_out = users_opted_out(
            kind=PreferenceKind.EVENT_REMINDER, user_ids=[r.user_id for r in registrations]
        )
        emails = []
        for registration in registrations:
            user = registration.user
            language = language_of(user)
            key = registration.seating.translation_key
            page = pages.get((key, language)) or next(
                p for (k, _lang), p in pages.items() if k == key
            )
            url = page.url or ""
            notification_send(
                user=user,
                kind="events.reminder",
                payload={"event": page.pk, "title": page.title},
                url=url,
            )
            if user.email and user.pk not in opted_out:
                with translation.override(language):
                    emails.append(
                        {
                            "to": user.email,
                            "subject": _("Tomorrow: %(title)s") % {"title": page.title},
                            "body": render_to_string(
                                "events/email/reminder.txt",
                                {
                                    "page": page,
                                    "starts_at": timezone.localtime(page.starts_at),
                                    "ends_at": timezone.localtime(page.ends_at),
                                    "url": absolute(url),
                                    "ics_url": absolute(reverse("events:ics", args=[page.pk])),
                                    "unsubscribe_url": unsubscribe_url(
                                        user=user, kind=PreferenceKind.EVENT_REMINDER
                                    ),
                                },
                            ),
                        }
                    )
        Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(reminded_at=now)
        if emails:
            send_emails.enqueue(messages=emails)  # one task per batch, in this transaction
    return len(registrations)


def reminders_send(*, now=None) -> int:
    """Every reminder due now, batch after batch; returns how many."""
    total = 0
    while told := reminders_send_batch(now=now):
        total += told
    return total


# --- news for the followers of a linked consultation ----------------------------------


def event_announce(*, page: EventPage) -> int:
    """A published event linked to a consultation is news for the people who
    follow that consultation (core.follows), once per event."""
    if page.consultation_id is None:
        return 0
    consultation = ConsultationPage.objects.filter(pk=page.consultation_id).first()
    if consultation is None:
        return 0
    ids = list(
        ConsultationPage.objects.filter(translation_key=consultation.translation_key).values_list(
            "pk", flat=True
        )
    )
    return follows.news_publish(
        key=f"event:{page.translation_key}:announced",
        target="consultation",
        object_ids=ids,
        kind="follows.event_announced",
        payload={"event": page.pk, "title": page.title},
        url=page.url or "",
    )
