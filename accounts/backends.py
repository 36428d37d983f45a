"""Sign-in backend: Django's ModelBackend, but the user a request or socket is
served as comes with its roles, in one query instead of two (issue 21).

Every signed-in request asks for the roles (the second-factor middleware, the
navigation, most rules), so loading them with the user saves a query on each.
The roles come from the same two sources `User.role_names()` reads on its
own (`accounts.models.role_sources`).
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Aggregate, CharField, OuterRef, Subquery

from core.precompiled import Precompiled

from .models import User, role_sources

# Joins the names in one column; a role or group name never holds it.
_SEPARATOR = "\x1f"


class _JoinedNames(Aggregate):
    """The names of a group of rows in one string (GROUP_CONCAT / STRING_AGG);
    Django 5.2 has a portable one only for PostgreSQL."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, char(31))"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, chr(31))",
            **extra,
        )


def _joined(queryset, field: str) -> Subquery:
    return Subquery(
        queryset.order_by()
        .values("user_id")
        .annotate(names=_JoinedNames(field))
        .values("names")[:1]
    )


def users_with_roles():
    """Users, each annotated with the names `role_names()` would read."""
    memberships, grants = role_sources(OuterRef("pk"))
    return User._default_manager.annotate(
        group_names=_joined(memberships, "group__name"), granted_roles=_joined(grants, "role")
    )


def _with_roles_read(user: User) -> User:
    # The two annotations of users_with_roles().
    groups, grants = getattr(user, "group_names", None), getattr(user, "granted_roles", None)
    names = f"{groups or ''}{_SEPARATOR}{grants or ''}"
    user.__dict__["_role_names"] = frozenset(n for n in names.split(_SEPARATOR) if n)
    return user


# Compiled once (core.precompiled); the mark is a user id no row has.
_USER_WITH_ROLES = Precompiled(
    lambda user_id: users_with_roles().filter(pk=user_id), user_id=-7_340_129
)


def user_with_roles(user_id) -> User | None:
    """The user with this id, its roles read (None if there is none)."""
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    user = _USER_WITH_ROLES.first(user_id=user_id)
    return None if user is None else _with_roles_read(user)


class RolesWithUserBackend(ModelBackend):
    def get_user(self, user_id):
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
