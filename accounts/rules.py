"""Role predicates, composed with & and | wherever a permission is decided."""

import rules

from core.permissions import register

from .roles import Role


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _has_role(role: str):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.is_active and user.has_role(role))

    return predicate


is_resident = _has_role(Role.RESIDENT)
is_caseworker = _has_role(Role.CASEWORKER)
is_supervisor = _has_role(Role.SUPERVISOR)
is_moderator = _has_role(Role.MODERATOR)
is_office_staff = is_caseworker | is_supervisor


@rules.predicate
def has_verified_email(user) -> bool:
    return bool(user and user.is_authenticated and user.email_verified)


# The office's two-person role grants (accounts.services): only a supervisor
# proposes or confirms. Registered in the one RuleSet (core.permissions).
register("accounts.grant_roles", is_supervisor)
