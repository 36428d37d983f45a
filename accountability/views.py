"""Public accountability pages. Thin: parse, call one selector, render.
Everything works without JavaScript; every chart has its data table."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.api import ApiError

from . import charts, statistics
from .api import parse_by, parse_year


def _bad_request(request: HttpRequest, error: ApiError) -> HttpResponse:
    return render(request, "accountability/bad_request.html", {"message": error.detail}, status=400)


def statistics_page(request: HttpRequest) -> HttpResponse:
    try:
        by = parse_by(request.GET.get("by") or "ground")
        year = parse_year(request.GET.get("year"))
    except ApiError as error:
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
    except ApiError as error:
        return HttpResponseBadRequest(error.detail, content_type="text/plain; charset=utf-8")
    answer = statistics.statistics_answer(by=by, year=year)
    response, writer = _csv_response(f"complaints-{by}-{year or 'all'}.csv")
    writer.writerow(["key", "label", "count"])
    for row in answer["rows"]:
        writer.writerow([row["key"], row["label"], "" if row["count"] is None else row["count"]])
    writer.writerow(
        ["total", _("All complaints"), "" if answer["total"] is None else answer["total"]]
    )
    return response


def search_page(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
