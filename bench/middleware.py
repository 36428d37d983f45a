"""Bench-only: tells the load generator how many SQL queries a request ran,
and lets the scale series (bench.scale) ask for the complaint statistics to be
computed afresh (header X-Bench-Cold: statistics) or found stale
(X-Bench-Cold: stale-statistics). Installed first in
MIDDLEWARE only when BENCH_REFERENCE_VIEWS=1."""

from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection

COLD_HEADER = "HTTP_X_BENCH_COLD"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cold = request.META.get(COLD_HEADER)
        if cold in ("statistics", "stale-statistics"):
            from accountability import statistics
            from accountability.models import StatisticsSnapshot

            if cold == "statistics":  # no snapshot (a new install): computed on this request
                cache.delete(statistics.CACHE_KEY)
                StatisticsSnapshot.objects.all().delete()
            else:
                # Stored but stale: served, and one refresh queued for the task worker.
                StatisticsSnapshot.objects.update(computed_at=EPOCH)
                if entry := cache.get(statistics.CACHE_KEY):
                    cache.set(statistics.CACHE_KEY, (0, entry[1]), statistics.KEEP_SECONDS)
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count)
        return response
