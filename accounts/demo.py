"""Demo accounts (CONTRACT.md section 2)."""

import os

from django.contrib.auth.models import Group

from .models import GrantedRole, SecurityEvent, User
from .roles import Role
from .services import role_grant_bootstrap

EDITORS = "Editors"  # created by Wagtail's own migrations

DEMO_USERS = [
    # username, display name, roles, superuser. A display name is a person's
    # name, never a role in English: pages name the role in their own language.
    ("admin", "관리자", [], True),
    ("supervisor", "김정의", [Role.SUPERVISOR], False),
    ("caseworker1", "이하나", [Role.CASEWORKER], False),
    ("caseworker2", "박민수", [Role.CASEWORKER], False),
    ("moderator", "정다운", [Role.MODERATOR], False),
    # Wagtail's Editors group: writes pages and translates them (cms migration 0004).
    ("editor", "한지은", [EDITORS], False),
    ("resident1", "최민지", [Role.RESIDENT], False),
    ("resident2", "Nguyen Thi Lan", [Role.RESIDENT], False),
]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", "demo-pass-2026")


def seed(*, stdout) -> None:
    password = demo_password()
    for username, display_name, roles, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "email": f"{username}@example.org",
                "email_verified": True,
                "is_superuser": superuser,
                "is_staff": superuser,
                "preferred_language": "en" if username == "resident2" else "ko",
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        # The roles that open cases come from a confirmed grant (logged as
        # seeded); group membership alone would open nothing.
        user.groups.add(*Group.objects.filter(name__in=roles).exclude(name__in=GrantedRole.values))
        for role in roles:
            if role in GrantedRole.values:
                role_grant_bootstrap(user=user, role=role, kind=SecurityEvent.Kind.SEEDED)
    stdout.write(
        f"Demo accounts: {', '.join(u[0] for u in DEMO_USERS)} (password from DEMO_PASSWORD)."
    )
