from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    label = "moderation"
    verbose_name = _("Moderation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Late: ready() runs once every model is loaded: Django's place for registrations.
        from core.notifications import register_kind

        from . import rules  # noqa: F401 - registers the permissions
        from .services import hidden_notice

        register_kind(
            "moderation.hidden",
            lambda payload: hidden_notice(payload.get("type", ""), payload.get("reason", "")),
        )
