from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.errors import Invalid, NotNow, Refused, model_clean
from core.permissions import may
from core.services import email_send, notification_send

from .models import GrantedRole, RoleGrant, SecurityEvent, User
from .roles import Role
from .tokens import email_verification_token


def user_signup(
    *,
    username: str,
    email: str,
    password: str,
    display_name: str = "",
    preferred_language: str = "ko",
    site_url: str,
) -> User:
    """Create a resident account and send the e-mail verification link."""
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            display_name=display_name,
            preferred_language=preferred_language,
        )
        user.set_password(password)
        model_clean(user, exclude=["password"])
        user.save()
        user.groups.add(Group.objects.get(name=Role.RESIDENT))
        email_verification_send(user=user, site_url=site_url)
    return user


def email_verification_send(*, user: User, site_url: str) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    with translation.override(user.preferred_language):
        path = reverse("accounts:verify-email", kwargs={"uidb64": uid, "token": token})
        subject = _("Confirm your e-mail address")
        body = _(
            "Hello %(name)s,\n\nPlease confirm your e-mail address by opening this link:\n"
            "%(link)s\n\nIf you did not create an account, you can ignore this message."
        ) % {"name": user.get_display_name(), "link": site_url.rstrip("/") + path}
    email_send(to=user.email, subject=subject, body=body)


def email_verify(*, user: User, token: str) -> bool:
    """Mark the address verified if the token is valid; returns whether it was."""
    if not email_verification_token.check_token(user, token):
        return False
    with transaction.atomic():
        user.email_verified = True
        user.save(update_fields=["email_verified"])
        notification_send(user=user, kind="account.email_verified")
    return True


def user_set_roles(*, user: User, roles: list[str]) -> None:
    user.groups.set(Group.objects.filter(name__in=roles))
    user.__dict__.pop("_role_names", None)


# Role grants (docs/architecture.md, "Role grants"). The caseworker and
# supervisor roles open cases only through a RoleGrant one supervisor proposed
# and a different one confirmed; the group is kept in step for lists that
# read it, but membership alone opens nothing (User.role_names).


def _active_supervisors():
    return User.objects.filter(
        is_active=True,
        role_grants__role=GrantedRole.SUPERVISOR,
        role_grants__confirmed_at__isnull=False,
        role_grants__revoked_at__isnull=True,
    ).distinct()


def _require_supervisor(actor) -> None:
    if not may(actor, "accounts.grant_roles"):
        raise Refused(_("Only a supervisor may change office roles."))


def _log(*, kind: str, grant: RoleGrant, actor) -> SecurityEvent:
    event = SecurityEvent.objects.create(
        kind=kind,
        role=grant.role,
        grant=grant,
        actor=actor,
        actor_username=actor.username if actor else "",
        subject=grant.user,
        subject_username=grant.user.username,
    )
    url = reverse("accounts:office-roles")
    for supervisor in _active_supervisors():
        notification_send(
            user=supervisor,
            kind=f"security.role_{kind}",
            payload={"username": grant.user.username},
            url=url,
        )
    return event


def _locked(grant: RoleGrant) -> RoleGrant:
    return RoleGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)


def role_grant_propose(*, actor: User, user: User, role: str) -> RoleGrant:
    """A supervisor proposes `user` for `role`; it opens nothing until a
    different supervisor confirms it."""
    _require_supervisor(actor)
    if role not in GrantedRole.values:
        raise Invalid(_("Choose a role."), field="role")
    if not user.is_active:
        raise Invalid(_("This account is not active."), field="username")
    with transaction.atomic():
        if RoleGrant.objects.filter(user=user, role=role, revoked_at__isnull=True).exists():
            raise Invalid(_("This person already has or awaits this role."), field="username")
        grant = RoleGrant.objects.create(user=user, role=role, proposed_by=actor)
        _log(kind=SecurityEvent.Kind.PROPOSED, grant=grant, actor=actor)
    return grant


def role_grant_confirm(*, actor: User, grant: RoleGrant) -> RoleGrant:
    """A second supervisor confirms a proposal: from now on the role opens cases."""
    _require_supervisor(actor)
    with transaction.atomic():
        grant = _locked(grant)
        if grant.confirmed_at is not None or grant.revoked_at is not None:
            raise NotNow(_("This proposal is no longer open."), code="grant_closed")
        if actor.pk in (grant.proposed_by_id, grant.user_id):
            raise Refused(
                _(
                    "A different supervisor must confirm: not the one who proposed it,"
                    " nor the person it names."
                )
            )
        grant.confirmed_by = actor
        grant.confirmed_at = timezone.now()
        grant.save(update_fields=["confirmed_by", "confirmed_at"])
        grant.user.groups.add(Group.objects.get(name=grant.role))
        _log(kind=SecurityEvent.Kind.CONFIRMED, grant=grant, actor=actor)
    return grant


def role_grant_revoke(*, actor: User, grant: RoleGrant) -> RoleGrant:
    """A supervisor removes a role (or declines a proposal); one supervisor is enough."""
    _require_supervisor(actor)
    with transaction.atomic():
        grant = _locked(grant)
        if grant.revoked_at is not None:
            raise NotNow(_("This role was already removed."), code="grant_closed")
        grant.revoked_by = actor
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_by", "revoked_at"])
        grant.user.groups.remove(Group.objects.get(name=grant.role))
        _log(kind=SecurityEvent.Kind.REVOKED, grant=grant, actor=actor)
    grant.user.__dict__.pop("_role_names", None)
    return grant


def role_grant_bootstrap(*, user: User, role: str, kind: str) -> RoleGrant:
    """A confirmed grant without a second supervisor: only for the first
    supervisor (a management command run on the server) and the demo seed."""
    with transaction.atomic():
        grant = RoleGrant.objects.filter(
            user=user, role=role, revoked_at__isnull=True, confirmed_at__isnull=False
        ).first()
        if grant is not None:
            return grant
        RoleGrant.objects.filter(user=user, role=role, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        grant = RoleGrant.objects.create(user=user, role=role, confirmed_at=timezone.now())
        user.groups.add(Group.objects.get(name=role))
        _log(kind=kind, grant=grant, actor=None)
    user.__dict__.pop("_role_names", None)
    return grant


def first_supervisor_grant(*, user: User) -> RoleGrant:
    """`manage.py grant_first_supervisor`: refused once any supervisor holds a
    confirmed grant (from then on, two supervisors decide)."""
    if _active_supervisors().exists():
        raise Refused(
            "A supervisor already exists; use the two-person grant.", code="supervisor_exists"
        )
    return role_grant_bootstrap(
        user=user, role=GrantedRole.SUPERVISOR, kind=SecurityEvent.Kind.FIRST_SUPERVISOR
    )
