"""Bench-only: tells the load generator how many SQL queries a request ran,
and lets the scale series (bench.scale) ask for the complaint statistics to be
computed afresh (header X-Bench-Cold: statistics) or found stale
(X-Bench-Cold: stale-statistics). Installed first in
MIDDLEWARE only when BENCH_REFERENCE_VIEWS=1."""

from django.core.cache import cache
from django.db import connection

COLD_HEADER = "HTTP_X_BENCH_COLD"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cold = request.META.get(COLD_HEADER)
        if cold in ("statistics", "stale-statistics"):
            from accountability import statistics

            if cold == "statistics":  # none kept: computed on this request
                cache.delete(statistics.CACHE_KEY)
            elif entry := cache.get(statistics.CACHE_KEY):
                # Kept but stale: served, and refreshed in the background.
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
