"""Thin views: the event page's forms, the .ics file, the office's list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import http_errors
from core.errors import DomainError

from . import selectors, services
from .ics import event_ics
from .models import RegistrationStatus


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(pk=pk)
    try:
        registration, _created = services.registration_create(
            event=event, user=request.user, access_needs=request.POST.get("access_needs", "")
        )
    except DomainError as error:
        return http_errors.answer(request, error, back=event.url)
    if registration.status == RegistrationStatus.REGISTERED:
        messages.success(request, _("You are registered. We look forward to seeing you."))
    else:
        messages.info(
            request,
            _("All seats are taken: you are on the waiting list. We tell you if a seat frees up."),
        )
    return redirect(event.url)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(pk=pk)
    try:
        cancelled = services.registration_cancel(event=event, user=request.user)
    except DomainError as error:
        return http_errors.answer(request, error, back=event.url)
    if cancelled:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(event.url)


@require_GET
def ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(pk=pk)
    response = HttpResponse(
        event_ics(event, request=request), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@login_required
@never_cache
def office_registrations(request: HttpRequest, pk: int) -> HttpResponse:
    """Who registered and their access needs: the office only (404 for anyone else)."""
    event = selectors.event_get(pk=pk)
    registrations = selectors.registrations_for_office(event=event, user=request.user)
    return render(
        request,
        "events/registrations.html",
        {"event": event, "registrations": registrations, "now": timezone.now()},
    )
