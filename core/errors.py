"""The one vocabulary for "why not?" (issue 15).

Services and selectors raise only these; they know nothing of HTTP. Each error
carries a machine `code` (the API's `code` field, stable for programs) and a
`message` written for a person (translated). The web layer translates them in
one place each: `core.api` to JSON, `core.http_errors` to HTML (messages, form
errors, 404).

| class     | meaning                                             | JSON | HTML                 |
|-----------|-----------------------------------------------------|------|----------------------|
| Hidden    | not there for you (or at all): never say which      | 404  | 404 page             |
| Refused   | you can see it but may not do this                  | 403  | message, 403 page    |
| SignInRequired (a Refused) | nobody is signed in                | 401  | redirect to sign-in  |
| NotNow    | the thing's state does not allow it (closed, raced) | 409  | message              |
| Invalid   | what you sent is wrong; `field` names which         | 400  | form error           |
| TooFast   | too many attempts; `retry_after` seconds            | 429  | message              |
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition


class DomainError(Exception):
    """Base of every error a service may raise for a person to read."""

    status = 400  # what the JSON door answers; the HTML door decides its own way
    default_code = "error"
    default_message = _("This could not be done.")

    def __init__(self, message=None, *, code: str | None = None, **extra) -> None:
        self.code = code or self.default_code
        self.message = message if message is not None else self.default_message
        self.extra = extra
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class Hidden(DomainError):
    """The object does not exist for this user. Answer exactly as for an object
    that does not exist at all, so that nobody learns a case exists."""

    status = 404
    default_code = "not_found"
    default_message = _("Not found.")


class Refused(DomainError):
    """The user may see the object but may not do this to it."""

    status = 403
    default_code = "forbidden"
    default_message = _("You are not allowed to do this.")


class SignInRequired(Refused):
    """Nobody is signed in, and this needs an account."""

    status = 401
    default_code = "not_authenticated"
    default_message = _("Please sign in to do this.")


class NotNow(DomainError):
    """Allowed in general, but not in the object's current state (closed,
    finished, or another change won a race)."""

    status = 409
    default_code = "conflict"
    default_message = _(
        "This could not be done because of the current state. Reload and try again."
    )


class Raced(NotNow, ConcurrentTransition):
    """Another change to the same thing won a race; reloading shows it. (Also a
    django-fsm ConcurrentTransition, which services turn into this one.)"""

    default_code = "conflict"
    default_message = _("Someone else changed this just now. Reload and try again.")


class TransitionRefused(NotNow):
    """A state-machine move that does not exist from the current state, or
    whose condition is not met (complaints, petitions)."""

    default_code = "transition_not_allowed"
    default_message = _("This step is not possible in the current state.")


class Invalid(DomainError):
    """What was sent is not acceptable. `field` names the field (or None for the
    whole request); `errors` may list several `{"field", "message"}`."""

    status = 400
    default_code = "invalid"
    default_message = _("This value is not valid.")

    def __init__(
        self,
        message=None,
        *,
        field: str | None = None,
        code: str | None = None,
        errors: list[dict] | None = None,
        **extra,
    ) -> None:
        super().__init__(message, code=code, **extra)
        self.field = field
        if errors is None and field is not None:
            errors = [{"field": field, "message": str(self.message)}]
        self.errors = errors or []


def invalid_from(error: ValidationError) -> Invalid:
    """Django's ValidationError (a model's full_clean) as an Invalid naming
    each field; errors on the whole object name no field."""
    if not hasattr(error, "error_dict"):
        return Invalid(" ".join(error.messages))
    errors = [
        {"field": None if field == NON_FIELD_ERRORS else field, "message": message}
        for field, messages in error.message_dict.items()
        for message in messages
    ]
    return Invalid(errors[0]["message"], field=errors[0]["field"], errors=errors)


def model_clean(instance, **kwargs) -> None:
    """`instance.full_clean(**kwargs)` for a service: what fails is an Invalid."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise invalid_from(error) from error


class TooFast(DomainError):
    """Too many attempts in a short time."""

    status = 429
    default_code = "too_many_requests"
    default_message = _("Too many requests. Please wait a moment and try again.")

    def __init__(
        self, message=None, *, retry_after: int | None = None, code: str | None = None, **extra
    ) -> None:
        super().__init__(message, code=code, **extra)
        self.retry_after = retry_after
