from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    label = "complaints"
    verbose_name = _("Complaints")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Late: ready() runs once every model is loaded: Django's place for registrations.
        from django.db.models.signals import post_migrate

        from core.notifications import register_kind

        from .rules import forget_permission_ids

        post_migrate.connect(forget_permission_ids, dispatch_uid="complaints.forget_permission_ids")

        register_kind("complaint.submitted", _("A new complaint, %(reference)s, was submitted."))
        register_kind("complaint.assigned", _("Case %(reference)s was assigned to you."))
        register_kind("complaint.transition", _("Case %(reference)s changed status."))
        register_kind(
            "complaint.recused",
            _("A caseworker stepped aside from case %(reference)s. Please reassign it."),
        )
        register_kind(
            "complaint.message",
            _("There is a new message on case %(reference)s."),
            plain=_("The Human Rights Office wrote to you about one of your complaints."),
        )
        register_kind(
            "complaint.status",
            _("Your complaint %(reference)s has a new status."),
            plain=_("One of your complaints has a new status."),
        )
        register_kind(
            "complaint.attachment", _("The complainant added evidence to case %(reference)s.")
        )
        register_kind("complaint.deadline_soon", _("Case %(reference)s is due on %(due)s."))
        register_kind(
            "complaint.overdue", _("Case %(reference)s is overdue: it was due on %(due)s.")
        )
        register_kind(
            "casework.digest",
            _("Your cases today: %(due)s due soon, %(overdue)s overdue."),
        )
        register_kind(
            "complaint.conflict_override",
            _("Case %(reference)s was assigned despite a declared conflict of interest."),
        )
        register_kind(
            "complaint.purge_warning",
            _(
                "Case %(reference)s will be deleted for good when its retention period ends. "
                "Reopen it before then if it must be kept."
            ),
        )
