"""The one way to ask "may I?" (issue 15).

Every app registers its rules in its own `rules.py` into the one RuleSet here,
under names `<app>.<action>` (`complaints.view`, `petitions.moderate`, ...);
views, services, selectors, templates (`{% may %}` from core.templatetags.may_tags)
and django-fsm transitions (`permission=transition_permission(...)`) all ask
through `may` or `require`. Nothing asks `user.has_perm` for these: Django's
ModelBackend says yes to a superuser on everything, and the superuser policy
here is that the flag opens nothing (docs/architecture.md, "One permission API").

`require` decides "why not" once per action: an action registered with
`hidden_unless="complaints.view"` answers `Hidden` (the API's 404, as for
something that does not exist) to a user who may not even see the object, and
`Refused` (403) to one who may see it but not do this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules as django_rules

from .errors import Hidden, Refused

rules = django_rules.RuleSet()

# action -> the action whose refusal hides the object (answers Hidden, not Refused).
_hidden_unless: dict[str, str] = {}


def register(action: str, predicate: Any, *, hidden_unless: str | None = None) -> None:
    """Add (or, on a module reload, replace) one rule. `predicate` is a
    `rules` predicate of (user) or (user, obj)."""
    if "." not in action:
        raise ValueError(f"Permission names are '<app>.<action>', not {action!r}")
    rules.set_rule(action, predicate)
    if hidden_unless is not None:
        _hidden_unless[action] = hidden_unless
    else:
        _hidden_unless.pop(action, None)


def may(user: Any, action: str, obj: Any = None) -> bool:
    """Whether `user` may do `action` (to `obj`). An unknown action is a
    programming error, not a quiet no: it raises KeyError."""
    if action not in rules:
        raise KeyError(f"No permission rule named {action!r}")
    return bool(rules.test_rule(action, user, obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    """Refuse unless `user` may do `action`: `Hidden` when they may not even see
    `obj` (for the actions registered with `hidden_unless`), `Refused` otherwise."""
    if may(user, action, obj):
        return
    seen = _hidden_unless.get(action)
    if seen is not None and (seen == action or not may(user, seen, obj)):
        raise Hidden
    raise Refused


def transition_permission(action: str) -> Callable[[Any, Any], bool]:
    """A django-fsm `permission=`: `(instance, user) -> may(user, action, instance)`.
    Calling a transition does not check it; services ask `has_transition_perm`."""

    def check(instance: Any, user: Any) -> bool:
        return may(user, action, instance)

    check.__name__ = f"may_{action.replace('.', '_')}"
    check.action = action  # type: ignore[attr-defined]  # says why a move is not offered
    return check
