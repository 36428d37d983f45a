"""Middleware that keeps the API's error shape for errors raised outside ninja
(unknown paths, wrong methods, crashes in other middleware)."""

import logging

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

from .api import error_response
from .busy import is_database_busy, with_retry_after

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return error_response(response.status_code)
        return response

    def process_exception(self, request, exception):
        if request.path.startswith(API_PREFIX) and not settings.DEBUG:
            if is_database_busy(exception):
                logger.warning("Database busy: %s", type(exception).__name__)
                return with_retry_after(error_response(503, "busy"))
            logger.error("Unhandled error under the API: %s", type(exception).__name__)
            return error_response(500, "server_error")
        return None


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, minus the 404 redirect to a language prefix for
    paths that are not localised (the API, health, admin): an unknown API path
    must answer 404 in JSON, not redirect to /ko/api/..."""

    UNPREFIXED = ("/api/", "/healthz", "/cms-admin/", "/django-admin/", "/static/", "/documents/")

    def process_response(self, request, response):
        if request.path.startswith(self.UNPREFIXED):
            language = translation.get_language()
            response.headers.setdefault("Content-Language", language)
            return response
        return super().process_response(request, response)
