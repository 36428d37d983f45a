"""Bench-only: tells the load generator how many SQL queries a request ran,
and lets the scale series (bench.scale) ask for the complaint statistics to be
computed afresh (header X-Bench-Cold: statistics). Installed first in
MIDDLEWARE only when BENCH_REFERENCE_VIEWS=1."""

from django.core.cache import cache
from django.db import connection

COLD_HEADER = "HTTP_X_BENCH_COLD"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get(COLD_HEADER) == "statistics":
            # What the first reader after the cache's expiry waits for.
            from accountability.statistics import CACHE_KEY

            cache.delete(CACHE_KEY)
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count)
        return response
