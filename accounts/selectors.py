"""Reads for the account area and the office's roles page."""

from .models import GrantedRole, RoleGrant, SecurityEvent, User


def role_grants_open():
    """Confirmed grants and pending proposals, not removed, with their people."""
    return (
        RoleGrant.objects.filter(revoked_at__isnull=True)
        .select_related("user", "proposed_by", "confirmed_by")
        .order_by("confirmed_at", "role", "user__username")
    )


def security_log(*, limit: int = 200):
    return SecurityEvent.objects.all()[:limit]


def supervisors_active():
    """Everyone who holds a confirmed, unrevoked supervisor grant and may sign in:
    the people an escalation goes to."""
    return User.objects.filter(
        is_active=True,
        role_grants__role=GrantedRole.SUPERVISOR,
        role_grants__confirmed_at__isnull=False,
        role_grants__revoked_at__isnull=True,
    ).distinct()
