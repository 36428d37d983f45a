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


def request_body_limit() -> int:
    """The largest request body any route takes: one evidence file plus the
    multipart envelope (settings.REQUEST_BODY_MAX_BYTES)."""
    return int(getattr(settings, "REQUEST_BODY_MAX_BYTES", settings.FILE_UPLOAD_MAX_MEMORY_SIZE))


def _refusal(request, status: int, code: str, detail: str):
    from django.http import HttpResponse

    if request.path.startswith(API_PREFIX):
        return error_response(status, code, detail)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


class RequestLimitsMiddleware:
    """Before any view or CSRF check reads the body: a body declared larger than
    any route takes is refused from its Content-Length (413, nothing read), and
    a multipart body that cannot be parsed (no boundary, cut short) is a 400
    rather than an exception in whatever touches request.POST first.

    (Under uvicorn, core.asgi.BodyLimitMiddleware refuses it even earlier,
    before Django's ASGI handler buffers the body.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http.multipartparser import MultiPartParserError

        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            length = -1
        if length < 0:
            return _refusal(
                request, 400, "invalid", translation.gettext("The request is malformed.")
            )
        if length > request_body_limit():
            return _refusal(
                request,
                413,
                "too_large",
                translation.gettext("What you sent is too large."),
            )
        if (
            request.method == "POST"
            and request.content_type.startswith("multipart/")
            # The API reads its own bodies (a JSON endpoint needs request.body
            # unread) and answers a broken multipart itself (core.api).
            and not request.path.startswith(API_PREFIX)
        ):
            try:
                request.POST  # noqa: B018 - parse now, so a broken body is a 400 here
            except MultiPartParserError:
                return _refusal(
                    request,
                    400,
                    "invalid",
                    translation.gettext("The multipart body could not be read."),
                )
        return self.get_response(request)
