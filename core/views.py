from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import health
from .selectors import notification_latest_id, notification_list_for
from .services import notifications_mark_read


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
