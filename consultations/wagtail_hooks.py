"""The Wagtail admin's way to the moderation queue, for those who may moderate."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.permissions import may


class ModerationQueueMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        # The queue's own check: a superuser without the moderator role would get 404.
        return may(request.user, "consultations.moderate")

    def render_component(self, request):
        """The label carries the number of things waiting (one count query)."""
        from .selectors import moderation_open_count

        component = super().render_component(request)
        count = moderation_open_count()
        if count:
            component.label = f"{self.label} ({count})"
        return component


@hooks.register("register_admin_menu_item")
def register_moderation_queue_menu_item() -> MenuItem:
    # Lazy: Wagtail keeps menu items for the process's lifetime, and the URL and
    # label must follow the language of each request.
    return ModerationQueueMenuItem(
        _("Moderation queue"),
        reverse_lazy("consultations:moderation_queue"),
        name="consultations-moderation-queue",
        icon_name="comment",
        order=550,
    )
