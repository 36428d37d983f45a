from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import health
from .forms import PreferencesForm
from .models import PreferenceKind
from .selectors import (
    follow_list_for,
    notification_latest_id,
    notification_list_for,
    preference_settings_for,
)
from .services import (
    DIGEST_KIND,
    follow_add,
    follow_remove,
    notifications_mark_read,
    preference_set,
    unsubscribe,
    unsubscribe_read,
)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    database = health.database_ok()
    checks = {
        "database": "ok" if database else "down",
        "channel_layer": "ok" if health.channel_layer_ok() else "down",
        "cache": "ok" if health.cache_ok() else "down",
    }
    if database:  # both read the database: "down" there would only repeat it
        checks["encryption"] = "ok" if health.encryption_ok() else "down"
        worker = health.worker_ok()
        if worker is not None:
            checks["task_worker"] = "ok" if worker else "down"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503
    )


@login_required
@never_cache
def notification_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(notification_list_for(user=request.user), 25)
    page = paginator.get_page(request.GET.get("page"))
    if page.number == 1:
        latest = page.object_list[0].pk if page.object_list else 0
    else:
        latest = notification_latest_id(user=request.user)
    return render(
        request, "core/notification_list.html", {"page_obj": page, "latest_notification_id": latest}
    )


@login_required
@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    ids = None
    if request.POST.get("id"):
        try:
            ids = [int(request.POST["id"])]
        except ValueError:
            messages.error(request, _("That notification could not be found."))
            return redirect("core:notifications")
    count = notifications_mark_read(user=request.user, ids=ids)
    if count:
        messages.success(request, _("Marked as read."))
    return redirect("core:notifications")


# --- follows, preferences, unsubscribe ----------------------------------------


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def follow_toggle(request: HttpRequest, target: str, object_id: int) -> HttpResponse:
    """The follow / unfollow button of a consultation, proposal or petition page."""
    if request.POST.get("action") == "unfollow":
        follow_remove(user=request.user, target=target, object_id=object_id)
        messages.success(request, _("You no longer follow this."))
    else:
        follow_add(user=request.user, target=target, object_id=object_id)  # 404 if hidden
        messages.success(request, _("You follow this now. We tell you when there is news."))
    return redirect(_safe_next(request, reverse("core:preferences")))


@login_required
@never_cache
def preferences(request: HttpRequest) -> HttpResponse:
    """What the person follows, and how often they hear about each kind."""
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                for choice in form.choices():
                    preference_set(user=request.user, **choice)
            messages.success(request, _("Your choices are saved."))
            return redirect("core:preferences")
    else:
        form = PreferencesForm(
            initial=PreferencesForm.initial_from(preference_settings_for(user=request.user))
        )
    return render(
        request,
        "core/preferences.html",
        {"form": form, "follows": follow_list_for(user=request.user)},
    )


@never_cache
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an e-mail: works without signing in. GET only asks (mail
    scanners open links), POST turns that kind of e-mail off."""
    user, kind = unsubscribe_read(token=token)  # 404 for a bad token
    done = False
    if request.method == "POST":
        unsubscribe(token=token)
        done = True
    label = (
        _("News of what I follow (e-mail)") if kind == DIGEST_KIND else PreferenceKind(kind).label
    )
    return render(request, "core/unsubscribe.html", {"kind_label": label, "done": done})
