"""Data: the reports and the moderation log move to the moderation app (one
table each for every moderated type). Every row is copied with its dates;
each comment's and proposal's open-report count and, for hidden ones, who hid
it and when (from the last "hide" in the log) are filled in."""

from django.db import migrations
from django.db.models import Count, OuterRef, Q, Subquery


def _no_auto_now(model) -> None:
    # Keep the original dates: the historical models' auto_now_add would overwrite them.
    model._meta.get_field("created_at").auto_now_add = False


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldReport = apps.get_model("consultations", "Report")
    OldLog = apps.get_model("consultations", "ModerationLog")
    Comment = apps.get_model("consultations", "Comment")
    Proposal = apps.get_model("consultations", "Proposal")
    Report = apps.get_model("moderation", "Report")
    Log = apps.get_model("moderation", "ModerationLog")
    _no_auto_now(Report)
    _no_auto_now(Log)
    comment_type, _c = ContentType.objects.get_or_create(app_label="consultations", model="comment")
    proposal_type, _p = ContentType.objects.get_or_create(
        app_label="consultations", model="proposal"
    )

    def target(row):
        if row.comment_id:
            return comment_type, row.comment_id
        if row.proposal_id:
            return proposal_type, row.proposal_id
        return None, None

    reports = []
    for old in OldReport.objects.order_by("pk").iterator(chunk_size=1000):
        content_type, object_id = target(old)
        reports.append(
            Report(
                content_type=content_type,
                object_id=object_id,
                reporter_id=old.reporter_id,
                reason=old.reason,
                note=old.note,
                created_at=old.created_at,
                resolved_at=old.resolved_at,
                resolved_by_id=old.resolved_by_id,
            )
        )
    Report.objects.bulk_create(reports, batch_size=1000)

    entries = []
    for old in OldLog.objects.order_by("pk").iterator(chunk_size=1000):
        content_type, object_id = target(old)
        entries.append(
            Log(
                actor_id=old.actor_id,
                action=old.action,
                content_type=content_type,
                object_id=object_id,
                subject_id=old.subject_id,
                reason=old.reason,
                note=old.note,
                created_at=old.created_at,
            )
        )
    Log.objects.bulk_create(entries, batch_size=1000)

    for model, field in ((Comment, "comment"), (Proposal, "proposal")):
        open_reports = (
            OldReport.objects.filter(**{field: OuterRef("pk")}, resolved_at__isnull=True)
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        )
        model.objects.filter(
            pk__in=OldReport.objects.filter(resolved_at__isnull=True).values(field)
        ).update(report_count=Subquery(open_reports))
        last_hide = OldLog.objects.filter(**{field: OuterRef("pk")}, action="hide").order_by(
            "-created_at", "-pk"
        )
        model.objects.filter(Q(state="hidden")).update(
            hidden_at=Subquery(last_hide.values("created_at")[:1]),
            hidden_by=Subquery(last_hide.values("actor")[:1]),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0002_moderated_fields"),
        ("moderation", "0001_reports_and_log_for_every_type"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
