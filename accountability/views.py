"""Public accountability pages. Thin: parse, call one selector, render.
Everything works without JavaScript; every chart has its data table."""

from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints import selectors as complaint_selectors
from complaints.grounds import FieldOfLife, Ground
from core import http_errors
from core.errors import DomainError, Invalid, NotNow, Refused
from core.permissions import may

from . import charts, search, selectors, services, statistics
from .api import indicator_out, parse_by, parse_year
from .forms import DecisionForm, FiltersForm
from .models import Decision, Indicator, Outcome, Recommendation, RecommendationStatus, localized


def _bad_request(request: HttpRequest, error: Invalid) -> HttpResponse:
    return render(
        request, "accountability/bad_request.html", {"message": error.message}, status=400
    )


def statistics_page(request: HttpRequest) -> HttpResponse:
    try:
        by = parse_by(request.GET.get("by") or "ground")
        year = parse_year(request.GET.get("year"))
    except Invalid as error:
        return _bad_request(request, error)
    answer = statistics.statistics_answer(by=by, year=year)
    stats = statistics.complaint_statistics()
    chart = charts.bar_chart([(row["label"], row["count"]) for row in answer["rows"]])
    return render(
        request,
        "accountability/statistics.html",
        {
            "answer": answer,
            "chart": chart,
            "by": by,
            "year": year,
            "years": stats.years,
            "dimensions": [
                (key, statistics.DIMENSION_LABELS[key]) for key in statistics.DIMENSIONS
            ],
            "dimension_label": statistics.DIMENSION_LABELS[by],
        },
    )


def _csv_response(filename: str) -> tuple[HttpResponse, csv.writer]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the Korean labels right
    return response, csv.writer(response)


def statistics_csv(request: HttpRequest) -> HttpResponse:
    try:
        by = parse_by(request.GET.get("by") or "ground")
        year = parse_year(request.GET.get("year"))
    except Invalid as error:
        return HttpResponseBadRequest(str(error.message), content_type="text/plain; charset=utf-8")
    answer = statistics.statistics_answer(by=by, year=year)
    response, writer = _csv_response(f"complaints-{by}-{year or 'all'}.csv")
    writer.writerow(["key", "label", "count"])
    for row in answer["rows"]:
        writer.writerow([row["key"], row["label"], "" if row["count"] is None else row["count"]])
    writer.writerow(
        ["total", _("All complaints"), "" if answer["total"] is None else answer["total"]]
    )
    return response


def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "accountability/overview.html")


# --- indicators


def _indicator_chart(indicator: Indicator) -> dict:
    targets = [(t.year, float(t.value)) for t in indicator.targets.all()]
    values = [(v.year, float(v.value)) for v in indicator.measurements.all()]
    baseline = (indicator.baseline_year, float(indicator.baseline_value))
    years = sorted({baseline[0], *(y for y, _ in targets), *(y for y, _ in values)})
    return charts.line_chart(
        {"target": [baseline, *targets], "value": [baseline, *values]}, years=years
    )


def _indicator_rows(indicator: Indicator) -> list[dict]:
    """One row a year: the target and the measured value (with source and note)."""
    targets = {t.year: t.value for t in indicator.targets.all()}
    values = {v.year: v for v in indicator.measurements.all()}
    rows = []
    for year in sorted({indicator.baseline_year, *targets, *values}):
        value = values.get(year)
        rows.append(
            {
                "year": year,
                "baseline": indicator.baseline_value if year == indicator.baseline_year else None,
                "target": targets.get(year),
                "value": value.value if value else None,
                "source": localized(value, "source") if value else "",
                "note": localized(value, "note") if value else "",
            }
        )
    return rows


def indicator_list(request: HttpRequest) -> HttpResponse:
    ground = request.GET.get("ground") or None
    if ground and ground not in Ground.values:
        return _bad_request(request, Invalid(_("Choose a ground from the list."), field="ground"))
    indicators = list(selectors.indicator_list_public(ground=ground))
    areas: dict = {}
    for indicator in indicators:
        areas.setdefault(indicator.area, []).append(indicator)
    return render(
        request,
        "accountability/indicator_list.html",
        {"areas": areas, "ground": ground, "grounds": Ground.choices},
    )


def _indicator_or_404(code: str) -> Indicator:
    try:
        return selectors.indicator_get_public(code=code)
    except Indicator.DoesNotExist as missing:
        raise Http404 from missing


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_or_404(code)
    related = selectors.indicator_related_public(indicator=indicator)
    grounds = [(g.code, Ground(g.code).label) for g in indicator.ground_links.all()]
    return render(
        request,
        "accountability/indicator_detail.html",
        {
            "indicator": indicator,
            "chart": _indicator_chart(indicator),
            "rows": _indicator_rows(indicator),
            "grounds": grounds,
            **related,
        },
    )


def indicators_json(request: HttpRequest) -> HttpResponse:
    body = [indicator_out(i, request) for i in selectors.indicator_list_public()]
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="indicators.json"'
    return response


def _indicator_csv_rows(writer, indicator: Indicator) -> None:
    for row in _indicator_rows(indicator):
        writer.writerow(
            [
                indicator.code,
                localized(indicator, "title"),
                localized(indicator, "unit"),
                row["year"],
                "" if row["baseline"] is None else row["baseline"],
                "" if row["target"] is None else row["target"],
                "" if row["value"] is None else row["value"],
                row["source"],
                row["note"],
            ]
        )


CSV_HEADER = ["code", "title", "unit", "year", "baseline", "target", "value", "source", "note"]


def indicators_csv(request: HttpRequest) -> HttpResponse:
    response, writer = _csv_response("indicators.csv")
    writer.writerow(CSV_HEADER)
    for indicator in selectors.indicator_list_public():
        _indicator_csv_rows(writer, indicator)
    return response


def indicator_csv(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_or_404(code)
    response, writer = _csv_response(f"indicator-{indicator.code}.csv")
    writer.writerow(CSV_HEADER)
    _indicator_csv_rows(writer, indicator)
    return response


# --- recommendations


def recommendation_list(request: HttpRequest) -> HttpResponse:
    departments = list(selectors.department_list())
    form = FiltersForm(
        request.GET or None,
        departments=departments,
        statuses=RecommendationStatus.choices,
    )
    if request.GET and not form.is_valid():
        return _bad_request(request, Invalid(_("Choose the filters from the lists.")))
    data = form.cleaned_data if request.GET else {}
    recommendations = selectors.recommendation_list_public(
        department=data.get("department") or None,
        status=data.get("status") or None,
        ground=data.get("ground") or None,
    )
    return render(
        request,
        "accountability/recommendation_list.html",
        {"form": form, "recommendations": recommendations},
    )


def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        recommendation = selectors.recommendation_get_public(pk=pk)
    except Recommendation.DoesNotExist as missing:
        raise Http404 from missing
    decision = recommendation.decision if recommendation.decision_id else None
    return render(
        request,
        "accountability/recommendation_detail.html",
        {
            "rec": recommendation,
            "decision": decision if decision and decision.public else None,
            "ground_label": Ground(recommendation.ground).label if recommendation.ground else "",
        },
    )


# --- decisions


def decision_list(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()
    ground = request.GET.get("ground") or None
    field = request.GET.get("field_of_life") or None
    outcome = request.GET.get("outcome") or None
    try:
        year = parse_year(request.GET.get("year"))
    except Invalid as error:
        return _bad_request(request, error)
    if (
        (ground and ground not in Ground.values)
        or (field and field not in FieldOfLife.values)
        or (outcome and outcome not in Outcome.values)
        or len(q) > search.Q_MAX_LENGTH
    ):
        return _bad_request(request, Invalid(_("Choose the filters from the lists.")))
    decisions = selectors.decision_list_public(
        q=q, ground=ground, year=year, field_of_life=field, outcome=outcome
    )
    return render(
        request,
        "accountability/decision_list.html",
        {
            "decisions": decisions,
            "q": q,
            "ground": ground,
            "year": year,
            "field_of_life": field,
            "outcome": outcome,
            "grounds": Ground.choices,
            "fields": FieldOfLife.choices,
            "outcomes": Outcome.choices,
        },
    )


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        decision = selectors.decision_get_public(pk=pk)
    except Decision.DoesNotExist as missing:
        raise Http404 from missing
    grounds = [(code, Ground(code).label) for code in decision.grounds if code in Ground.values]
    indicators = []
    for code, _label in grounds:
        indicators += [i for i in selectors.indicators_for_ground(code=code) if i not in indicators]
    return render(
        request,
        "accountability/decision_detail.html",
        {
            "decision": decision,
            "grounds": grounds,
            "indicators": indicators,
            "field_label": FieldOfLife(decision.field_of_life).label,
            "outcome_label": Outcome(decision.outcome).label,
        },
    )


# --- the office: writing and approving decisions


@login_required
def office_decisions(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "accountability.office"):
        raise Http404
    queue = selectors.decision_queue(user=request.user)
    started = set(Decision.objects.values_list("complaint_id", flat=True))
    decided = [
        c
        for c in complaint_selectors.complaint_list_for(user=request.user).filter(
            status__in=services.DECIDED_STATUSES
        )[:100]
        if c.pk not in started
    ]
    return render(
        request, "accountability/office_decisions.html", {"queue": queue, "decided": decided}
    )


def _form_errors(form, error: Invalid | NotNow) -> None:
    if isinstance(error, Invalid):
        http_errors.add_to_form(form, error)
    else:
        form.add_error(None, str(error.message))


@login_required
def office_decision_new(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        complaint = services.decision_case_for(user=request.user, reference=reference)
    except DomainError as error:
        return http_errors.answer(request, error, back=reverse("accountability:office_decisions"))
    existing = Decision.objects.filter(complaint=complaint).first()
    if existing is not None:
        return redirect("accountability:office_decision", pk=existing.pk)
    initial = {
        "field_of_life": complaint.field_of_life,
        "grounds": complaint.ground_codes,
    }
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_save(
                actor=request.user, complaint=complaint, data=form.cleaned_data
            )
        except (Invalid, NotNow) as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The draft is saved. Check the flagged passages."))
            return redirect("accountability:office_decision", pk=decision.pk)
    return render(
        request,
        "accountability/office_decision_form.html",
        {"form": form, "reference": complaint.reference, "decision": None, "flags": []},
    )


def _office_decision_or_404(request: HttpRequest, pk: int) -> Decision:
    decision = Decision.objects.select_related("complaint").filter(pk=pk).first()
    if decision is None or not may(request.user, "accountability.view_draft", decision):
        raise Http404
    return decision


@login_required
def office_decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _office_decision_or_404(request, pk)
    fields = {f: getattr(decision, f) for f in services.TEXT_FIELDS}
    initial = {
        **fields,
        "grounds": decision.grounds,
        "field_of_life": decision.field_of_life,
        "decided_on": decision.decided_on,
        "outcome": decision.outcome,
    }
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may(request.user, "accountability.write", decision):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.decision_save(
                    actor=request.user,
                    complaint=decision.complaint,
                    data=form.cleaned_data,
                    decision=decision,
                )
            except (Invalid, NotNow) as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The draft is saved. Check the flagged passages."))
                return redirect("accountability:office_decision", pk=decision.pk)
    flags = services.decision_flags(decision=decision, viewer=request.user)
    return render(
        request,
        "accountability/office_decision_form.html",
        {
            "form": form,
            "decision": decision,
            "reference": decision.complaint.reference if decision.complaint else "",
            "flags": flags,
            "may_write": may(request.user, "accountability.write", decision),
            "may_approve": may(request.user, "accountability.approve", decision),
        },
    )


@require_POST
@login_required
def office_decision_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    decision = _office_decision_or_404(request, pk)
    try:
        if action == "submit":
            services.decision_submit(decision=decision, actor=request.user)
            messages.success(request, _("Sent to the supervisor for approval."))
        elif action == "approve":
            services.decision_approve(
                decision=decision,
                actor=request.user,
                flags_checked=request.POST.get("flags_checked") == "on",
            )
            messages.success(request, _("The decision is published."))
        elif action == "return":
            services.decision_return(decision=decision, actor=request.user)
            messages.success(request, _("Sent back to the writer."))
        elif action == "unpublish":
            services.decision_unpublish(decision=decision, actor=request.user)
            messages.success(request, _("The decision is no longer public."))
        else:
            raise Http404
    except Refused:
        return render(
            request,
            "accountability/bad_request.html",
            {"message": _("You are not allowed to do this.")},
            status=403,
        )
    except (Invalid, NotNow) as error:
        messages.error(request, str(error.message))
    return redirect("accountability:office_decision", pk=decision.pk)


# --- search


def search_page(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()
    results = search.search_public(q=q, language=(get_language() or "ko")[:2])
    return render(request, "accountability/search.html", {"q": q, "results": results})
