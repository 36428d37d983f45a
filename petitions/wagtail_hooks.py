"""The Wagtail admin's way to the petitions waiting for moderation, with their count."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.permissions import may

from .selectors import petition_moderation_queue


class PetitionQueueMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        # The queue's own check (404 for anyone else).
        return may(request.user, "petitions.moderate")

    def render_component(self, request):
        component = super().render_component(request)
        count = petition_moderation_queue().count()
        if count:
            component.label = f"{self.label} ({count})"
        return component


@hooks.register("register_admin_menu_item")
def register_petition_queue_menu_item() -> MenuItem:
    return PetitionQueueMenuItem(
        _("Petitions to review"),
        reverse_lazy("petitions:moderation"),
        name="petitions-moderation-queue",
        icon_name="doc-full",
        order=551,
    )
