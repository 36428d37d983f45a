from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    label = "petitions"
    verbose_name = _("Petitions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.follows import register_target

        from .selectors import follow_petitions

        register_target("petition", resolve=follow_petitions)
        from core.follows import register_skip

        from .news import told_otherwise

        register_skip("petition", told_otherwise)
        from core.notifications import register_kind

        register_kind("petition.published", _("Your petition “%(title)s” is published."))
        register_kind(
            "petition.rejected",
            _("Your petition was not published. The reason is on its page."),
        )
        register_kind(
            "petition.threshold_reached",
            _("The petition “%(title)s” reached its signature goal and needs an answer."),
        )
        register_kind(
            "petition.goal_reached",
            _("Your petition “%(title)s” reached its signature goal. %(office)s will answer it."),
        )
        register_kind("petition.closed", _("Your petition “%(title)s” has closed."))
        register_kind("petition.answered", _("The petition “%(title)s” was answered."))
