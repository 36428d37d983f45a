"""The reports and the log move from consultations to moderation with their
dates and resolutions; counts and who-hid-when are filled in (migration 0003)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("consultations", "0002_moderated_fields"),
    ("moderation", "0001_reports_and_log_for_every_type"),
]


def test_reports_and_log_keep_their_data():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    Discussion = old.get_model("consultations", "Discussion")
    Comment = old.get_model("consultations", "Comment")
    Proposal = old.get_model("consultations", "Proposal")
    OldReport = old.get_model("consultations", "Report")
    OldLog = old.get_model("consultations", "ModerationLog")
    author = User.objects.create(username="author")
    reporter = User.objects.create(username="reporter")
    moderator = User.objects.create(username="moderator")
    discussion = Discussion.objects.create(translation_key="8f0c1d2e-0000-4000-8000-000000000001")
    hidden = Comment.objects.create(
        discussion=discussion, author=author, body="x", state="hidden", hidden_reason="abuse"
    )
    reported = Proposal.objects.create(discussion=discussion, author=author, title="t", body="b")
    long_ago = timezone.now() - datetime.timedelta(days=40)
    OldReport.objects.create(
        comment=hidden,
        reporter=reporter,
        reason="abuse",
        resolved_at=long_ago,
        resolved_by=moderator,
    )
    OldReport.objects.create(proposal=reported, reporter=reporter, reason="spam", note="ads")
    OldReport.objects.filter(comment=hidden).update(created_at=long_ago)
    OldLog.objects.create(
        actor=moderator, action="hide", comment=hidden, subject=author, reason="abuse"
    )
    OldLog.objects.filter(action="hide").update(created_at=long_ago)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from consultations.models import Comment as NewComment
    from consultations.models import Proposal as NewProposal
    from moderation.models import ModerationLog, Report

    comment = NewComment.objects.get(pk=hidden.pk)
    assert comment.hidden_by_id == moderator.pk and comment.hidden_at == long_ago
    assert comment.report_count == 0
    assert NewProposal.objects.get(pk=reported.pk).report_count == 1
    moved = {(r.content_type.model, r.object_id): r for r in Report.objects.all()}
    assert set(moved) == {("comment", hidden.pk), ("proposal", reported.pk)}
    assert moved[("comment", hidden.pk)].created_at == long_ago
    assert moved[("comment", hidden.pk)].resolved_by_id == moderator.pk
    assert moved[("proposal", reported.pk)].note == "ads"
    (entry,) = ModerationLog.objects.all()
    assert (entry.action, entry.target.pk, entry.created_at) == ("hide", hidden.pk, long_ago)
