"""The moderation pages: one queue for every type, bulk actions, one item's
action, a report, and lifting a posting block. Thin: check, call one service
or selector, render. Anyone who may not moderate gets 404, as for a page that
does not exist (docs/architecture.md, "One door")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition

from consultations import selectors as consultation_selectors
from consultations import services as consultation_services
from core.errors import DomainError, Hidden

from . import registry, selectors, services
from .forms import BulkForm, ReasonForm, UnblockForm


def _moderator_only(request: HttpRequest) -> None:
    if not services.may_moderate(request.user):
        raise Http404


def _filters(data) -> dict[str, str]:
    kind = data.get("type", "")
    status = data.get("status", "reported")
    return {
        "type": kind if registry.get(kind) else "",
        "status": status if status in selectors.STATUSES else "reported",
    }


def _queue_url(filters: dict[str, str]) -> str:
    query = {k: v for k, v in filters.items() if v and not (k == "status" and v == "reported")}
    return reverse("moderation:queue") + (f"?{urlencode(query)}" if query else "")


def _item(kind_name: str, pk: int, user):
    kind = registry.get(kind_name)
    if kind is None:
        raise Http404
    try:
        return kind, kind.get(pk=pk, user=user)
    except Hidden:
        raise Http404 from None


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _moderator_only(request)

    filters = _filters(request.GET)
    counts = selectors.moderation_open_counts()
    items = selectors.moderation_queue(kind=filters["type"] or None, status=filters["status"])
    tabs = [{"code": "", "label": _("All types"), "count": sum(counts.values())}] + [
        {"code": k.name, "label": k.label_plural, "count": counts.get(k.name, 0)}
        for k in registry.kinds()
    ]
    for tab in tabs:
        tab["url"] = _queue_url({**filters, "type": tab["code"]})
        tab["current"] = tab["code"] == filters["type"]
    statuses = [
        {"code": code, "label": label, "url": _queue_url({**filters, "status": code})}
        for code, label in (("reported", _("Reported")), ("hidden", _("Hidden")))
    ]
    return render(
        request,
        "moderation/queue.html",
        {
            "items": items,
            "tabs": tabs,
            "statuses": statuses,
            "filters": filters,
            "form": BulkForm(keys=[item.key for item in items]),
            "blocks": consultation_selectors.posting_blocks(),
            "unblock_form": UnblockForm(),
            "log": selectors.moderation_log(),
        },
    )


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Hide, restore or dismiss several items at once; a repeat changes nothing."""
    _moderator_only(request)
    filters = _filters(request.POST)
    form = BulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_queue_url(filters))
    try:
        result = services.moderation_bulk(
            moderator=request.user,
            action=form.cleaned_data["action"],
            items=services.parse_items(form.cleaned_data["items"]),
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except ConcurrentTransition:
        messages.error(request, _("Someone else changed this at the same time. Please try again."))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Done: %(changed)s changed, %(unchanged)s already as asked.")
            % {"changed": result.changed, "unchanged": result.unchanged},
        )
    return redirect(_queue_url(filters))


ACTION_TITLES = {
    "hide": gettext_lazy("Hide with a reason"),
    "restore": gettext_lazy("Show again"),
    "dismiss": gettext_lazy("Dismiss the reports"),
}


@login_required
def act(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    """One item: hide (with a reason), restore, or dismiss its reports. The item
    is public, so whoever may see it but not moderate gets 403, as from the API."""
    if action not in ACTION_TITLES:
        raise Http404
    kind_obj, target = _item(kind, pk, request.user)
    if not services.may_moderate(request.user):
        raise PermissionDenied
    form = ReasonForm(request.POST or None) if action == "hide" else None
    back = request.POST.get("back") or request.GET.get("back") or ""
    back = back if back.startswith("/") and not back.startswith("//") else _queue_url({})
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form else {}
        try:
            if action == "hide":
                services.moderation_hide(
                    moderator=request.user, target=target, reason=data["reason"], note=data["note"]
                )
            elif action == "restore":
                services.moderation_restore(moderator=request.user, target=target)
            else:
                services.reports_dismiss(moderator=request.user, target=target)
        except ConcurrentTransition:
            messages.error(
                request, _("Someone else changed this at the same time. Please try again.")
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Done. The decision is recorded."))
        return redirect(back)
    title = ACTION_TITLES[action]
    return render(
        request,
        "moderation/act.html",
        {
            "title": title,
            "form": form,
            "item": selectors.QueueItem(kind_obj, target),
            "back": back,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Anyone signed in reports an item to the moderators."""
    kind_obj, target = _item(kind, pk, request.user)
    back = kind_obj.url(target)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                user=request.user,
                target=target,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Thank you. A moderator will look at it."))
        return redirect(back)
    return render(
        request,
        "moderation/report.html",
        {"form": form, "item": selectors.QueueItem(kind_obj, target), "back": back},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def unblock(request: HttpRequest, user_id: int) -> HttpResponse:
    """Let an account post again, with the reason written in the log."""
    _moderator_only(request)

    block = consultation_selectors.posting_block_by_user_id(user_id=user_id)  # 404 if none
    form = UnblockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write why the block is lifted."))
    else:
        consultation_services.author_unblock(
            moderator=request.user, user=block.user, note=form.cleaned_data["note"]
        )
        messages.success(request, _("The account may post again."))
    return redirect(reverse("moderation:queue") + "#blocks")
