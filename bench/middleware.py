"""Bench-only: tells the load generator how many SQL queries a request ran.
Installed first in MIDDLEWARE only when BENCH_REFERENCE_VIEWS=1."""

from django.db import connection


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count)
        return response
