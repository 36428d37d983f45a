"""Shared pieces of the JSON API: the error shape of CONTRACT.md section 3,
the one translation of core.errors' domain errors to JSON, and
authentication helpers.

Every error answers `{"detail": "<human-readable>", "code": "<machine_code>"}`;
validation errors also name the field (`"field"` and `"errors"`).
"""

from __future__ import annotations

import datetime
import json
import logging
import math
import re
import traceback
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.pagination import PageNumberPagination
from ninja.parser import Parser
from ninja.security import SessionAuth
from ninja.utils import check_csrf
from pydantic import BeforeValidator, Field, StrictBool

from .busy import is_database_busy, with_retry_after
from .errors import DomainError, Invalid, Raced
from .sanitize import strip_bidi

logger = logging.getLogger(__name__)

STATUS_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
    503: "unavailable",
}


def default_detail(status: int) -> str:
    messages = {
        400: _("The request could not be understood. Check what you sent and try again."),
        401: _("Please sign in to do this."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        409: _("This could not be done because of the current state. Reload and try again."),
        413: _("What you sent is too large."),
        415: _("This type of content is not accepted."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Nothing was saved. Please try again later."),
        503: _("The service is temporarily unavailable. Please try again later."),
    }
    return str(messages.get(status, messages[400] if status < 500 else messages[500]))


class ApiError(DomainError):
    """An error of the HTTP layer itself, with its own status (415 for a body
    that is not JSON, 400 for one that cannot be read). Services never raise
    it: they raise core.errors' domain errors, which carry their status in
    their class (docs/architecture.md, "Errors: one vocabulary")."""

    def __init__(self, status: int, code: str, detail: str | None = None, **extra) -> None:
        super().__init__(detail if detail else default_detail(status), code=code, **extra)
        self.status = status

    @property
    def detail(self) -> str:
        return str(self.message)


def domain_error_response(exc: DomainError) -> JsonResponse:
    """The one translation of a domain error to JSON (CONTRACT.md section 3):
    the status from the error's class, `{"detail", "code"}`, the field for an
    invalid value (`"field"` and `"errors"`), `retry_after` (and the
    Retry-After header) for one that came too fast."""
    extra = dict(exc.extra)
    if isinstance(exc, Invalid) and exc.errors:
        extra.setdefault("field", exc.field or exc.errors[0]["field"])
        extra.setdefault(
            "errors", [{"field": e["field"], "message": str(e["message"])} for e in exc.errors]
        )
    retry_after = getattr(exc, "retry_after", None) or extra.get("retry_after")
    if exc.status == 429 and retry_after is not None:
        extra["retry_after"] = retry_after
    response = error_response(exc.status, exc.code, str(exc.message), **extra)
    if exc.status == 429 and retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def error_response(
    status: int, code: str | None = None, detail: str | None = None, **extra
) -> JsonResponse:
    body = {"detail": str(detail) if detail else default_detail(status)}
    body["code"] = code or STATUS_CODES.get(status, "error")
    body.update(extra)
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    return response


def _field_name(loc) -> str:
    # ninja locations look like ("body", "payload", "description"); keep the field.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file")]
    if parts and parts[0] in ("payload", "data", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "json_invalid" or error.get("msg") == "Cannot parse request body":
        return _("The request body is not valid JSON.")
    if kind in ("string_too_long",):
        return _("This text is too long (at most %(max)s characters).") % {
            "max": ctx.get("max_length")
        }
    if kind in ("string_too_short",):
        return _("This field cannot be empty.")
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        return _("This number is out of range.")
    if kind.endswith("_parsing") or kind.endswith("_type"):
        return _("This value has the wrong format.")
    if kind == "enum" or kind == "literal_error":
        return _("This value is not one of the allowed choices.")
    # Messages we raise ourselves from validators are already written for people.
    message = str(error.get("msg", ""))
    if message.startswith("Value error, "):
        return message.removeprefix("Value error, ")
    return message or _("This value is not valid.")


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer every error in the contract's JSON shape."""

    @api.exception_handler(DomainError)
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return domain_error_response(exc)

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _field_name(e.get("loc", ())), "message": _validation_message(e)}
            for e in exc.errors
        ]
        first = errors[0] if errors else {"field": "body", "message": default_detail(400)}
        if first["field"] == "body" and first["message"] == str(
            _("The request body is not valid JSON.")
        ):
            detail = first["message"]
        else:
            detail = f"{first['field']}: {first['message']}"
        return error_response(400, "invalid", detail, field=first["field"], errors=errors)

    @api.exception_handler(DjangoValidationError)
    def on_django_validation_error(request, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = [
                {"field": field, "message": str(message)}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"field": "body", "message": str(m)} for m in exc.messages]
        first = errors[0]
        detail = (
            first["message"]
            if first["field"] in ("body", "__all__")
            else f"{first['field']}: {first['message']}"
        )
        return error_response(400, "invalid", detail, field=first["field"], errors=errors)

    @api.exception_handler(Throttled)
    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = math.ceil(exc.wait or 60)
        response = error_response(
            429,
            "throttled",
            _("Too many requests. Please try again in %(seconds)s seconds.") % {"seconds": wait},
            retry_after=wait,
        )
        response["Retry-After"] = str(wait)
        return response

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(401, "not_authenticated")

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if isinstance(exc.__cause__, DomainError):
            # Raised by the strict parser, which ninja wraps in a plain 400.
            return domain_error_response(exc.__cause__)
        if status == 400 and "Cannot parse request body" in str(exc):
            return error_response(
                400,
                "invalid",
                _("The request body is not valid JSON."),
                field="body",
                errors=[{"field": "body", "message": _("The request body is not valid JSON.")}],
            )
        if status == 403 and "CSRF" in str(exc):
            return error_response(
                403,
                "csrf_failed",
                _("The security token is missing or expired. Reload the page and try again."),
            )
        return error_response(status, STATUS_CODES.get(status), str(exc) if status < 500 else None)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, "not_found")

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # Django's own request limits (too many fields or files, body too big):
        # the client's fault, never a 500.
        return error_response(
            400,
            "request_too_large",
            _("The request is too large or has too many parts. Send one file at a time."),
        )

    @api.exception_handler(MultiPartParserError)
    def on_bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        # A multipart Content-Type without a usable boundary or body.
        return error_response(
            400,
            "invalid",
            _("The multipart body could not be read. Send the file again."),
            field="body",
            errors=[{"field": "body", "message": _("The multipart body could not be read.")}],
        )

    @api.exception_handler(ConcurrentTransition)
    def on_race(request: HttpRequest, exc: ConcurrentTransition) -> HttpResponse:
        # A safety net: services turn a lost race into errors.Raced themselves.
        return domain_error_response(Raced())

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(403, "permission_denied")

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if is_database_busy(exc):
            logger.warning("Database busy: %s", type(exc).__name__)
            return with_retry_after(error_response(503, "busy"))
        # Log the type and place only: the message may quote user input.
        logger.error(
            "Unhandled API error %s at %s:%s",
            type(exc).__name__,
            *_origin(exc),
        )
        return error_response(500, "server_error")


def _origin(exc: Exception) -> tuple[str, int]:
    """Where the exception was raised (file, line): enough to debug, and free of
    the message, which may quote user input."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ("?", 0)
    return (frames[-1].filename, frames[-1].lineno or 0)


# ---------------------------------------------------------------------------
# Input that is read strictly (issue 17): nothing a client sends may reach the
# database or a template in a shape that turns into a 500, and no value is
# coerced into one that means something else.

# The largest primary key a 64-bit column can hold. A bigger number in a path
# names nothing; declaring the bound makes it a 400 (and tells the OpenAPI
# document), instead of an overflow in the database driver.
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]

# `"anonymous": "true"` is a string, not a yes: booleans must be JSON booleans
# (re-exported: `from core.api import StrictBool`).
__all__ = ["StrictBool"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    """A date must be written as YYYY-MM-DD: pydantic would otherwise read the
    number 0 as 1 January 1970 and a timestamp string as some day."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError(_("Write the date as YYYY-MM-DD, for example 2026-03-01."))


StrictDate = Annotated[datetime.date, BeforeValidator(_iso_date_only)]


def _not_blank(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise ValueError(_("This field cannot be empty."))
    return value


def _plain(value: Any) -> Any:
    return strip_bidi(value) if isinstance(value, str) else value


# User-written plain text: bidirectional controls removed (core.sanitize).
PlainText = Annotated[str, BeforeValidator(_plain)]
# Text that must say something: only spaces, tabs or line breaks count as empty.
NonBlankStr = Annotated[str, BeforeValidator(_not_blank), BeforeValidator(_plain)]

# Pages past this are refused (400) rather than turned into an OFFSET the
# database cannot hold; no list here is anywhere near a million pages.
MAX_PAGE = 1_000_000


class BoundedPageNumberPagination(PageNumberPagination):
    """ninja's page-number pagination with an upper bound on `page` and
    `page_size`, declared in the OpenAPI document."""

    class Input(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=100)


JSON_CONTENT_TYPES = ("application/json",)


def _invalid_body(message: str) -> Invalid:
    return Invalid(message, field="body")


def _check_text(data: Any) -> None:
    """Every string must be encodable as UTF-8: JSON's \\ud800 escapes decode
    to lone surrogates, which no database, template or log can write."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid_body(
            _("The request contains characters that are not valid text (a lone surrogate).")
        ) from None
    except RecursionError:
        raise _invalid_body(_("The request body is nested too deeply.")) from None


def json_loads(body: bytes | str) -> Any:
    """Parse a JSON request body strictly. Raises Invalid (400) for what is not
    JSON, nested deeper than Python can walk, or holds text that is not UTF-8."""
    try:
        data = json.loads(body)
    except RecursionError:
        raise _invalid_body(_("The request body is nested too deeply.")) from None
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        raise _invalid_body(_("The request body is not valid JSON.")) from None
    _check_text(data)
    return data


def require_json_content_type(request: HttpRequest) -> None:
    """A JSON endpoint refuses a form or multipart body with 415 (instead of
    reading a form's bytes as JSON, or parsing a multipart body it will not use)."""
    content_type = (request.content_type or "").lower()
    if (
        content_type
        and content_type not in JSON_CONTENT_TYPES
        and not content_type.endswith("+json")
    ):
        raise ApiError(
            415,
            "unsupported_media_type",
            _("Send this request as JSON, with the header Content-Type: application/json."),
        )


class StrictJsonParser(Parser):
    """ninja's body parser with the checks above."""

    def parse_body(self, request: HttpRequest):
        require_json_content_type(request)
        return json_loads(request.body)


# Every error answer has this shape (CONTRACT.md section 3); the OpenAPI
# document declares it on every operation for each status the API can give.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "field": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
        "retry_after": {"type": "integer"},
    },
    "required": ["detail", "code"],
}
ERROR_STATUSES = {
    400: "The request is invalid; `field` names the field.",
    401: "Not signed in.",
    403: "Signed in, but not allowed to do this (or the CSRF token is missing).",
    404: "Not found, or not visible to the caller.",
    405: "Method not allowed.",
    409: "Not possible in the current state, or another change won a race.",
    413: "The request body is too large.",
    415: "The body is not JSON (or not multipart where a file is expected).",
    429: "Too many requests; see Retry-After.",
    503: "Temporarily unavailable; see Retry-After.",
}


class Api(NinjaAPI):
    """The project's NinjaAPI: the strict JSON parser, and an OpenAPI document
    that declares the error answers of every operation."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("parser", StrictJsonParser())
        super().__init__(*args, **kwargs)
        install_error_handlers(self)

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = ERROR_SCHEMA
        ref = {"$ref": "#/components/schemas/Error"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                for status, description in ERROR_STATUSES.items():
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": ref}},
                        },
                    )
        return schema


class SessionUser(SessionAuth):
    """The signed-in user from the session cookie; unsafe methods need the CSRF token."""


class OptionalSessionUser(SessionAuth):
    """Lets anyone through; a signed-in caller must still send the CSRF token on
    writes, so a third-party page cannot act as them."""

    def __call__(self, request: HttpRequest):
        if request.user.is_authenticated:
            if request.method not in ("GET", "HEAD", "OPTIONS") and not getattr(
                request, "_ninja_csrf_exempt", False
            ):
                if check_csrf(request) is not None:
                    raise HttpError(403, "CSRF check Failed")
            return request.user
        return True  # anonymous, allowed


session_auth = SessionUser()
optional_session_auth = OptionalSessionUser()


def current_user(request: HttpRequest):
    """The signed-in user, or None for an anonymous caller."""
    return request.user if request.user.is_authenticated else None
