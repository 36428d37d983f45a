"""A throwaway API and a few pages that raise each domain error (core.errors),
mounted for the tests of the two translations: core.api (JSON) and
core.http_errors (HTML)."""

from django import forms
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path
from django_fsm import ConcurrentTransition
from ninja import NinjaAPI

from config.urls import urlpatterns as real_urlpatterns
from core import http_errors
from core.api import install_error_handlers
from core.errors import (
    DomainError,
    Hidden,
    Invalid,
    NotNow,
    Raced,
    Refused,
    SignInRequired,
    TooFast,
)


class Closed(NotNow):
    default_code = "thing_closed"


ERRORS = {
    "hidden": lambda: Hidden(),
    "refused": lambda: Refused("Not yours.", code="not_yours"),
    "sign-in": lambda: SignInRequired(),
    "not-now": lambda: Closed("It is closed."),
    "invalid": lambda: Invalid("Say something.", field="body"),
    "invalid-many": lambda: Invalid(
        "Two things are wrong.",
        errors=[{"field": "title", "message": "Too long."}, {"field": "body", "message": "Empty."}],
    ),
    "too-fast": lambda: TooFast("Wait a little.", retry_after=7),
    "raced": lambda: Raced(),
    "fsm-race": lambda: ConcurrentTransition("lost"),
}

api = NinjaAPI(urls_namespace="domain-error-api")
install_error_handlers(api)


@api.get("/raise/{kind}")
def raise_api(request, kind: str):
    raise ERRORS[kind]()


def raise_page(request, kind: str):
    """A page that lets the error through to core.http_errors.DomainErrorMiddleware."""
    raise ERRORS[kind]()


class NoteForm(forms.Form):
    body = forms.CharField(required=False)


def form_page(request, kind: str):
    """A page that hands the service's error to http_errors.answer, as views do."""
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            raise ERRORS[kind]()
        except DomainError as error:
            refused = http_errors.answer(request, error, form=form, back="/back/")
            if refused is not None:
                return refused
    errors = "; ".join(f"{field}={','.join(e)}" for field, e in form.errors.items())
    return HttpResponse(f"form errors: {errors}", status=400 if form.errors else 200)


urlpatterns = [
    path("api/domain/", api.urls),
    # Pages live under a language prefix, as the site's do (/en/…).
    *i18n_patterns(
        path("domain-page/<str:kind>/", raise_page),
        path("domain-form/<str:kind>/", form_page),
    ),
    *real_urlpatterns,
]
