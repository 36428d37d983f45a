"""The moderators' entry in the Wagtail admin menu: one submenu with the number
of reported items of each type, each leading to the one queue filtered by it."""

from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import registry
from .selectors import moderation_open_counts
from .services import may_moderate


def _counts(request) -> dict[str, int]:
    """One count query per type, once per request however many items show them."""
    counts = getattr(request, "_moderation_counts", None)
    if counts is None:
        counts = request._moderation_counts = moderation_open_counts()
    return counts


class QueueMenuItem(MenuItem):
    def __init__(self, label, url, *, kind: str = "", **kwargs):
        super().__init__(label, url, **kwargs)
        self.kind = kind

    def is_shown(self, request) -> bool:
        # The queue's own check: anyone else (a superuser too) gets 404 there.
        return may_moderate(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        counts = _counts(request)
        count = counts.get(self.kind, 0) if self.kind else sum(counts.values())
        component.label = f"{self.label} ({count})"
        return component


class ModerationSubmenu(SubmenuMenuItem):
    def render_component(self, request):
        component = super().render_component(request)
        count = sum(_counts(request).values())
        if count:
            component.label = f"{self.label} ({count})"
        return component


def _items() -> list[MenuItem]:
    # Lazy labels and URLs: Wagtail keeps menu items for the process's lifetime,
    # and both must follow the language of each request.
    url = reverse_lazy("moderation:queue")
    items = [
        QueueMenuItem(
            _("All types"), url, name="moderation-queue-all", icon_name="list-ul", order=1
        )
    ]
    for position, kind in enumerate(registry.kinds(), start=2):
        items.append(
            QueueMenuItem(
                kind.label_plural,
                format_lazy("{}?type={}", url, kind.name),
                kind=kind.name,
                name=f"moderation-queue-{kind.name}",
                icon_name="comment",
                order=position,
            )
        )
    return items


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item() -> MenuItem:
    return ModerationSubmenu(
        _("Moderation queue"),
        Menu(items=_items()),
        name="moderation-queue",
        icon_name="comment",
        order=550,
    )
