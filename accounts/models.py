from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: a resident, or staff of the Human Rights Office.

    Roles are groups (see accounts.roles); object-level grants go through
    django-guardian, role logic through `rules` predicates (accounts.rules).
    """

    email = models.EmailField(_("e-mail address"), blank=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_(
            "The name others see next to what you write. Leave empty to use your username."
        ),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    email_verified = models.BooleanField(_("e-mail verified"), default=False)
    # Set when the person deleted their account (accounts.privacy): the row
    # stays, emptied, so what they wrote reads as a deleted user's.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def get_display_name(self) -> str:
        if self.deleted_at is not None:
            return str(_("Deleted user"))
        return self.display_name or self.username

    @cached_property
    def _role_names(self) -> frozenset[str]:
        # One query (a UNION). A user signed in through accounts.backends has
        # this filled already, from the same two sources.
        memberships, grants = role_sources(self.pk)
        groups = memberships.values_list("group__name", flat=True)
        return frozenset(groups.union(grants.values_list("role", flat=True)))

    def role_names(self) -> frozenset[str]:
        """The roles of this user, read once per instance (one query)."""
        return self._role_names

    def has_role(self, role: str) -> bool:
        return role in self.role_names()


class GrantedRole(models.TextChoices):
    """The roles that open cases. They take effect only through a confirmed
    RoleGrant (two supervisors), never through group membership alone."""

    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")


def role_sources(user):
    """Where a user's roles come from, for a user id or `OuterRef("pk")`: the
    group memberships that give roles opening no case (resident, moderator),
    and the confirmed, unrevoked grants, the only source of caseworker and
    supervisor."""
    memberships = User.groups.through.objects.filter(user_id=user).exclude(
        group__name__in=GrantedRole.values
    )
    grants = RoleGrant.objects.filter(
        user_id=user, confirmed_at__isnull=False, revoked_at__isnull=True
    )
    return memberships, grants


class RoleGrant(models.Model):
    """One supervisor proposes, a different supervisor confirms; only a
    confirmed, unrevoked grant opens cases (docs/architecture.md, "Role grants")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=16, choices=GrantedRole.choices)
    # Empty only for the first supervisor, made by `manage.py grant_first_supervisor`.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_open_grant_per_user_and_role",
            ),
            models.CheckConstraint(
                condition=~models.Q(confirmed_by=models.F("proposed_by")),
                name="grant_confirmed_by_another",
            ),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="grant_user_open")]

    def __str__(self) -> str:
        return f"{self.role} grant #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.revoked_at is None


class SecurityEvent(models.Model):
    """The append-only security log: every proposal, confirmation and removal
    of a role grant. Rows are written once and never changed or deleted."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Role proposed")
        CONFIRMED = "confirmed", _("Role confirmed")
        REVOKED = "revoked", _("Role removed")
        FIRST_SUPERVISOR = "first_supervisor", _("First supervisor granted on the server")
        SEEDED = "seeded", _("Granted by the demo seed")

    kind = models.CharField(max_length=24, choices=Kind.choices)
    role = models.CharField(max_length=16, choices=GrantedRole.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Usernames as they were, so the log still reads after an account is gone.
    actor_username = models.CharField(max_length=150, blank=True)
    subject_username = models.CharField(max_length=150)
    grant = models.ForeignKey(RoleGrant, on_delete=models.PROTECT, related_name="events")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The security log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The security log is append-only.")
