"""The one translation of core.errors' domain errors to HTML (issue 15).

Views call a service inside ``try: … except DomainError as error:`` and hand
the error to :func:`answer`; they never look at a status number. What a person
sees:

| error          | page                                                        |
|----------------|-------------------------------------------------------------|
| Hidden         | the 404 page (exactly as for something that does not exist) |
| SignInRequired | the sign-in page, coming back here afterwards               |
| Refused        | a message and back where they were (uncaught: the 403 page) |
| NotNow         | a message and back where they were                          |
| TooFast        | a message (it says when to try again) and back              |
| Invalid        | the message on the form's field (no form: message and back) |

A domain error no view caught is answered by :class:`DomainErrorMiddleware`
the same way (404, 403, sign-in, or a message and the page it came from), so
an error never becomes a 500 on either door.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition

from .errors import DomainError, Hidden, Invalid, NotNow, Raced, Refused, SignInRequired, TooFast

API_PREFIX = "/api/"


def add_to_form(form, error: Invalid) -> None:
    """Put an Invalid on the form: on the field it names when the form has
    that field, else on the whole form."""
    errors = error.errors or [{"field": error.field, "message": error.message}]
    for item in errors:
        field = item.get("field")
        form.add_error(field if field in form.fields else None, str(item["message"]))


def answer(
    request: HttpRequest, error: DomainError, *, back: str, form=None
) -> HttpResponse | None:
    """The page for a domain error a service raised. Returns None only when the
    error went onto `form` (the view then shows the form again, with it);
    raises Http404 for Hidden, so that it answers exactly as a missing page."""
    if isinstance(error, Hidden):
        raise Http404 from error
    if isinstance(error, SignInRequired):
        return redirect_to_login(request.get_full_path())
    if isinstance(error, Invalid) and form is not None:
        add_to_form(form, error)
        return None
    messages.error(request, str(error.message))
    return redirect(back)


def back_url(request: HttpRequest) -> str | None:
    """Where the person came from, when it is a page of this site."""
    referer = request.headers.get("Referer") or ""
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return None


TITLES = {
    NotNow: gettext_lazy("Not possible now"),
    TooFast: gettext_lazy("Please wait a moment"),
    Invalid: gettext_lazy("Please check what you sent"),
}


def _title(error: DomainError) -> str:
    for kind, title in TITLES.items():
        if isinstance(error, kind):
            return str(title)
    return str(_("This could not be done."))


class DomainErrorMiddleware:
    """Answers a domain error that no view caught (and a lost fsm race), on
    the pages only: the API has its own handler (core.api)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, ConcurrentTransition):
            exception = Raced()
        if not isinstance(exception, DomainError):
            return None
        if isinstance(exception, Hidden):
            return response_for_exception(request, Http404())
        if isinstance(exception, SignInRequired):
            return redirect_to_login(request.get_full_path())
        if isinstance(exception, Refused):
            return response_for_exception(request, PermissionDenied())
        back = back_url(request)
        if request.method == "POST":
            messages.error(request, str(exception.message))
            return redirect(back or request.path)
        return render(
            request,
            "core/domain_error.html",
            {"title": _title(exception), "message": exception.message, "back": back},
            status=exception.status,
        )
