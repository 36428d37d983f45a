"""A throwaway API that raises each kind of error, mounted for the error-shape tests."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from ninja import NinjaAPI, Schema
from ninja.throttling import AnonRateThrottle
from pydantic import field_validator

from config.urls import handler500  # noqa: F401 - the real one, under test
from config.urls import urlpatterns as real_urlpatterns
from core.api import install_error_handlers, session_auth
from core.errors import Invalid, NotNow

api = NinjaAPI(urls_namespace="test-api")
install_error_handlers(api)


class Body(Schema):
    name: str
    age: int = 0

    @field_validator("name")
    @classmethod
    def name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Please write a name.")
        return value


@api.post("/echo")
def echo(request, payload: Body):
    return {"name": payload.name}


@api.get("/forbidden")
def forbidden(request):
    raise PermissionDenied


@api.get("/missing")
def missing(request):
    raise Http404


@api.get("/conflict")
def conflict(request):
    raise NotNow("Not from this state.", code="transition_not_allowed")


@api.get("/field")
def field(request):
    raise Invalid("Choose at least one reason.", field="grounds")


@api.get("/crash")
def crash(request):
    raise ZeroDivisionError("secret complaint text must not leak")


@api.get("/busy")
def busy(request):
    from django.db import OperationalError
    from psycopg_pool import PoolTimeout

    try:
        raise PoolTimeout("couldn't get a connection after 10.00 sec")
    except PoolTimeout as exc:
        raise OperationalError(str(exc)) from exc  # as Django wraps it


def busy_page(request):
    """A page (outside ninja) whose database stays locked."""
    import sqlite3

    first = sqlite3.connect(request.GET["path"], timeout=0)
    first.execute("BEGIN IMMEDIATE")
    second = sqlite3.connect(request.GET["path"], timeout=0)
    try:
        second.execute("BEGIN IMMEDIATE")  # raises "database is locked"
    finally:
        first.close()
        second.close()


@api.get("/private", auth=session_auth)
def private(request):
    return {"ok": True}


@api.post("/write", auth=session_auth)
def write(request):
    return {"ok": True}


@api.get("/throttled", throttle=[AnonRateThrottle("1/min")])
def throttled(request):
    return {"ok": True}


urlpatterns = [
    path("api/test/", api.urls),
    path("busy-page/", busy_page),
    path("api/busy-page/", busy_page),
    *real_urlpatterns,
]
