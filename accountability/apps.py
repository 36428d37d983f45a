from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    label = "accountability"
    verbose_name = _("Public accountability")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Late: ready() runs once every model is loaded: Django's place for registrations.
        from core.notifications import register_kind

        from . import news

        news.connect()  # topics to follow, and their news

        register_kind(
            "recommendation.overdue",
            _("A department has not answered recommendation %(id)s, due on %(due)s."),
        )
