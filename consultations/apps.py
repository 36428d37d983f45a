from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    label = "consultations"
    verbose_name = _("Consultations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Late: ready() runs once every model is loaded: Django's place for registrations.
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
        _register_moderated()
        register_kind(
            "consultations.blocked",
            _("A moderator stopped you from posting in consultations. Open this to see why."),
        )


def _register_moderated() -> None:
    """Comments and proposals are moderated the one way (moderation.registry)."""
    # Late: called from ready(), once every model is loaded.
    from django.urls import reverse

    from moderation.registry import Kind, excerpt, register

    from . import selectors, services
    from .models import Comment, Proposal
    from .serialize import comment_data, proposal_data

    register(
        Kind(
            name="comment",
            plural="comments",
            model=Comment,
            label=_("Comment"),
            label_plural=_("Comments"),
            author_field="author",
            get=lambda *, pk, user: selectors.comment_get(pk=pk),
            data=comment_data,
            url=lambda c: reverse("consultations:comment_thread", args=[c.pk]),
            title=lambda c: excerpt(c.body),
            changed=services.comment_visibility_changed,
            select_related=("discussion",),
        )
    )
    register(
        Kind(
            name="proposal",
            plural="proposals",
            model=Proposal,
            label=_("Proposal"),
            label_plural=_("Proposals"),
            author_field="author",
            get=lambda *, pk, user: selectors.proposal_get(pk=pk),
            data=proposal_data,
            url=lambda p: reverse("consultations:proposal_detail", args=[p.pk]),
            title=lambda p: excerpt(p.title),
            changed=services.proposal_visibility_changed,
        )
    )
