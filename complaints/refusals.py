"""How complaints' services say "no" (core.errors, issue 15): the two
helpers every write module of the app uses, so that "may not see it" and
"may see it, may not do this" are told apart the same way everywhere."""

from __future__ import annotations

from core.errors import DomainError, Hidden, Invalid, Refused
from core.permissions import may


def invalid(errors: dict[str, list[str]]) -> Invalid:
    """One Invalid naming every field at fault (`{"field": [message, ...]}`);
    its message, what a person reads first, is the first field's."""
    items = [{"field": f, "message": str(m)} for f, messages in errors.items() for m in messages]
    return Invalid(items[0]["message"], field=items[0]["field"], errors=items)


def refused(actor, complaint) -> DomainError:
    """Why `actor` may not do this to the case: Hidden (404) when they may not
    even see it, so that nobody learns it exists; else Refused (403, with the
    code the API has always given)."""
    if not may(actor, "complaints.view", complaint):
        return Hidden()
    return Refused(code="permission_denied")
