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

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def get_display_name(self) -> str:
        return self.display_name or self.username

    @cached_property
    def _role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def role_names(self) -> frozenset[str]:
        """The role groups of this user, read once per instance (one query)."""
        return self._role_names

    def has_role(self, role: str) -> bool:
        return role in self.role_names()
