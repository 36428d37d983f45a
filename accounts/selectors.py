"""Reads for the account area and the office's roles page."""

from .models import RoleGrant, SecurityEvent


def role_grants_open():
    """Confirmed grants and pending proposals, not removed, with their people."""
    return (
        RoleGrant.objects.filter(revoked_at__isnull=True)
        .select_related("user", "proposed_by", "confirmed_by")
        .order_by("confirmed_at", "role", "user__username")
    )


def security_log(*, limit: int = 200):
    return SecurityEvent.objects.all()[:limit]
