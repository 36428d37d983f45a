from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    label = "events"
    verbose_name = _("Events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.notifications import register_kind

        register_kind(
            "events.moved_up",
            _("A seat became free: you are now registered for “%(title)s”."),
        )
