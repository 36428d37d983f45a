from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Late: ready() runs once every model is loaded: Django's place for registrations.
        from core.notifications import register_kind

        register_kind(
            "security.role_proposed",
            _("%(username)s was proposed for an office role: see the security log."),
        )
        register_kind(
            "security.role_confirmed",
            _("An office role for %(username)s was confirmed: see the security log."),
        )
        register_kind(
            "security.role_revoked",
            _("An office role of %(username)s was removed: see the security log."),
        )
        register_kind(
            "security.role_first_supervisor",
            _("%(username)s was made the first supervisor on the server."),
        )
        register_kind("security.role_seeded", _("The demo seed gave %(username)s an office role."))
