from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    label = "consultations"
    verbose_name = _("Consultations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.follows import register_target

        from .selectors import follow_consultations, follow_proposals

        register_target("consultation", resolve=follow_consultations)
        register_target("proposal", resolve=follow_proposals)
        from core.follows import register_scan, register_skip

        from .news import phases_scan, told_of_answer

        register_skip("proposal", told_of_answer)
        register_scan(phases_scan)
        from core.notifications import register_kind

        from . import rules  # noqa: F401 - registers the permissions

        register_kind(
            "consultations.proposal_answered",
            _("%(office)s answered a proposal you made or supported."),
        )
        register_kind(
            "consultations.comment_hidden",
            _("A moderator hid one of your comments. Open it to see why."),
        )
        register_kind(
            "consultations.proposal_hidden",
            _("A moderator hid one of your proposals. Open it to see why."),
        )
        register_kind(
            "consultations.blocked",
            _("A moderator stopped you from posting in consultations. Open this to see why."),
        )
