from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    label = "petitions"
    verbose_name = _("Petitions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Late: ready() runs once every model is loaded: Django's place for registrations.
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
        _register_moderated()


def _hidden_or_out(petition) -> dict:
    if petition.is_hidden:
        return {"id": petition.pk, "hidden": True, "reason": petition.hidden_reason_text}
    return {
        "id": petition.pk,
        "title": petition.title,
        "status": petition.public_status,
        "signature_count": petition.signature_count,
        "threshold": petition.threshold,
        "closes_at": petition.closes_at.isoformat() if petition.closes_at else None,
        "hidden": False,
    }


def _register_moderated() -> None:
    """Petitions are moderated the same way as comments and proposals: reported by
    residents, hidden with a reason (moderation.registry)."""
    # Late: called from ready(), once every model is loaded.
    from django.urls import reverse

    from moderation.registry import Kind, excerpt, register

    from .models import Petition
    from .selectors import petition_get_for

    register(
        Kind(
            name="petition",
            plural="petitions",
            model=Petition,
            label=_("Petition"),
            label_plural=_("Petitions"),
            author_field="creator",
            get=petition_get_for,
            data=_hidden_or_out,
            url=lambda p: reverse("petitions:detail", kwargs={"pk": p.pk}),
            title=lambda p: excerpt(p.title),
        )
    )
