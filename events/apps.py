from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    label = "events"
    verbose_name = _("Events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Late: ready() runs once every model is loaded: Django's place for registrations.
        from core.notifications import register_kind

        register_kind(
            "events.moved_up",
            _("A seat became free: you are now registered for “%(title)s”."),
        )
        register_kind(
            "events.reminder",
            _("Tomorrow: “%(title)s”. You are registered; the details are on its page."),
        )
        from wagtail.signals import page_published

        from .models import EventPage

        page_published.connect(_announce, sender=EventPage, dispatch_uid="events.announce")


def _announce(sender, instance, **kwargs) -> None:
    # Late: events.services imports the models, which load after this module.
    from .services import event_announce

    event_announce(page=instance)
