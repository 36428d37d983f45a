import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission

from complaints import selectors, services
from complaints.models import (
    Complaint,
    ComplaintEvent,
    ComplaintUserObjectPermission,
)
from core.errors import Hidden, Invalid
from core.models import Notification

from .conftest import submit


def test_submit_gives_a_reference_a_deadline_and_one_event(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(people.owner)
    complaint = submission.complaint
    year = timezone.localdate().year
    assert re.fullmatch(rf"HR-{year}-\d{{6}}", complaint.reference)
    assert complaint.status == "submitted"
    assert complaint.complainant_user() == people.owner
    assert submission.receipt is None and complaint.receipt_hash is None
    assert complaint.ground_codes == ["age", "sex"]
    assert (
        complaint.triage_due.date() == (complaint.created_at + datetime.timedelta(days=14)).date()
    )
    assert complaint.investigation_due is None
    assert list(complaint.events.values_list("kind", flat=True)) == ["submitted"]
    # The supervisor is told, with the reference only.
    note = Notification.objects.get(user=people.supervisor, kind="complaint.submitted")
    assert note.payload == {"reference": complaint.reference}


def test_references_are_consecutive_and_unique(people):
    refs = [submit(people.owner).complaint.reference for _ in range(3)]
    numbers = [int(r.rsplit("-", 1)[1]) for r in refs]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]


def test_anonymous_submission_stores_only_the_receipt_hash(people):
    submission = submit(people.owner, anonymous=True, contact_email="me@example.org")
    complaint = submission.complaint
    assert re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{4}", submission.receipt)
    # Not linked to the account, even though it was signed in.
    assert not complaint.has_account
    assert complaint.receipt_hash == services.receipt_hash(submission.receipt)
    assert submission.receipt.replace("-", "") not in complaint.receipt_hash
    assert (
        selectors.complaint_by_receipt_hash(
            receipt_hash=services.receipt_hash(submission.receipt.replace("-", " "))
        )
        == complaint
    )


def test_narrative_and_contact_are_encrypted_at_rest(people):
    from django.db import connection

    complaint = submit(people.owner, contact_email="me@example.org").complaint
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT description, contact_email FROM complaints_complaint WHERE id = %s",
            [complaint.pk.hex if connection.vendor == "sqlite" else complaint.pk],
        )
        description, email = cursor.fetchone()
    assert "flat" not in description and "example.org" not in email


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"grounds": []}, "grounds"),
        ({"grounds": ["sex", "astrology"]}, "grounds"),
        ({"description": "   "}, "description"),
        ({"description": "<script>alert(1)</script>"}, "description"),
        ({"description": "x" * 20_001}, "description"),
        ({"incident_date": timezone.localdate() + datetime.timedelta(days=1)}, "incident_date"),
        ({"location": "y" * 201}, "location"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"field_of_life": "space"}, "field_of_life"),
    ],
)
def test_bad_submissions_store_nothing(people, kwargs, field):
    with pytest.raises(Invalid) as info:
        submit(people.owner, **kwargs)
    assert field in [e["field"] for e in info.value.errors]
    assert Complaint.objects.count() == 0


def test_same_idempotency_key_returns_the_first_complaint(people):
    first = submit(people.owner, idempotency_key="abc-123")
    again = submit(people.owner, idempotency_key="abc-123")
    assert again.complaint.pk == first.complaint.pk
    assert not again.created
    assert Complaint.objects.count() == 1
    # Another person's identical key is a different submission.
    submit(people.other_resident, idempotency_key="abc-123")
    assert Complaint.objects.count() == 2


def test_idempotent_anonymous_retry_keeps_the_first_receipt(people):
    first = submit(None, anonymous=True, idempotency_key="k1")
    again = submit(None, anonymous=True, idempotency_key="k1")
    assert again.complaint.pk == first.complaint.pk
    assert Complaint.objects.count() == 1
    assert again.receipt == first.receipt
    stored = Complaint.objects.get(pk=first.complaint.pk).receipt_hash
    assert stored == services.receipt_hash(first.receipt)


def test_idempotency_key_with_another_body_is_refused(people):
    submit(people.owner, idempotency_key="k2")
    with pytest.raises(services.IdempotencyKeyReused):
        submit(people.owner, idempotency_key="k2", description="Something else entirely.")
    assert Complaint.objects.count() == 1


def test_assign_grants_the_case_and_tells_the_caseworker(
    people, django_capture_on_commit_callbacks
):
    complaint = submit(people.owner).complaint
    assert complaint not in selectors.complaint_visible_to(people.caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_assign(
            complaint=complaint, actor=people.supervisor, caseworker=people.caseworker
        )
    assert complaint in selectors.complaint_visible_to(people.caseworker)
    assert complaint not in selectors.complaint_visible_to(people.other_caseworker)
    notification = Notification.objects.get(user=people.caseworker, kind="complaint.assigned")
    assert notification.payload == {"reference": complaint.reference}
    assert [m.to for m in mail.outbox] == [[people.caseworker.email]]
    assert "flat" not in mail.outbox[0].body  # never the narrative
    assert complaint.events.filter(kind="assigned", subject=people.caseworker).exists()


def test_only_the_supervisor_assigns_and_only_caseworkers(people):
    complaint = submit(people.owner).complaint
    with pytest.raises(Hidden):  # a superuser gets nothing implicitly on complaints
        services.complaint_assign(
            complaint=complaint, actor=people.superuser, caseworker=people.caseworker
        )
    with pytest.raises(Invalid) as info:
        services.complaint_assign(
            complaint=complaint, actor=people.supervisor, caseworker=people.other_resident
        )
    assert info.value.field == "caseworker"
    assert not ComplaintUserObjectPermission.objects.exists()


def test_unassign_revokes_at_once(people, make_complaint):
    complaint = make_complaint()
    services.complaint_unassign(
        complaint=complaint, actor=people.supervisor, caseworker=people.caseworker
    )
    assert complaint not in selectors.complaint_visible_to(people.caseworker)
    assert not ComplaintUserObjectPermission.objects.filter(user=people.caseworker).exists()
    assert complaint.events.filter(kind="unassigned").count() == 1


def test_recusal_removes_access_and_tells_the_supervisor(people, make_complaint):
    complaint = make_complaint("investigating")
    services.complaint_recuse(complaint=complaint, actor=people.caseworker, note="my neighbour")
    assert complaint not in selectors.complaint_visible_to(people.caseworker)
    assert Notification.objects.filter(user=people.supervisor, kind="complaint.recused").exists()
    assert complaint.events.filter(kind="recused", actor=people.caseworker).count() == 1
    with pytest.raises(Hidden):  # not on the case: it does not exist for them
        services.complaint_recuse(complaint=complaint, actor=people.other_caseworker)


def test_transition_notifies_staff_without_the_narrative(people, make_complaint):
    complaint = make_complaint("investigating")
    services.complaint_transition(
        complaint=complaint, actor=people.caseworker, transition="decide", note="Found: yes"
    )
    note = Notification.objects.filter(user=people.supervisor, kind="complaint.transition").last()
    assert note.payload == {"reference": complaint.reference}
    assert Notification.objects.filter(user=people.owner, kind="complaint.status").exists()
    # The actor is not told about their own move.
    assert (
        not Notification.objects.filter(
            user=people.caseworker,
            kind="complaint.transition",
            payload__reference=complaint.reference,
        )
        .exclude(created_at__lt=complaint.events.last().at)
        .exists()
    )


def test_accept_sets_the_investigation_deadline(people, make_complaint, settings):
    settings.COMPLAINTS_INVESTIGATION_DAYS = 30
    complaint = make_complaint("investigating")
    due = complaint.investigation_due - complaint.events.get(to_status="investigating").at
    assert abs(due - datetime.timedelta(days=30)) < datetime.timedelta(minutes=1)


def test_overdue_cases_are_found(people, make_complaint):
    late = make_complaint()
    Complaint.objects.filter(pk=late.pk).update(
        triage_due=timezone.now() - datetime.timedelta(days=1)
    )
    on_time = make_complaint()
    overdue = selectors.complaint_queue(user=people.supervisor, view="overdue")
    assert list(overdue) == [Complaint.objects.get(pk=late.pk)]
    assert on_time not in overdue


def test_events_are_append_only(make_complaint):
    complaint = make_complaint()
    event = complaint.events.first()
    event.note = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        ComplaintEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(PermissionError):
        ComplaintEvent.objects.filter(pk=event.pk).delete()
    assert ComplaintEvent.objects.get(pk=event.pk).note == ""


def test_no_permission_row_survives_a_deleted_complaint(people, make_complaint):
    complaint = make_complaint("investigating")
    assert ComplaintUserObjectPermission.objects.filter(content_object=complaint).count() == 2
    complaint.delete()
    assert ComplaintUserObjectPermission.objects.count() == 0
    # And nothing went to guardian's generic tables either.
    assert UserObjectPermission.objects.count() == 0
    assert GroupObjectPermission.objects.count() == 0


def test_no_model_wide_complaint_permission_is_granted_to_anyone(people, make_complaint):
    """Per-object grants only: a model-wide permission would open every case."""
    from io import StringIO

    from accounts import demo as accounts_demo
    from complaints import demo

    make_complaint("mediation")
    accounts_demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    assert Complaint.objects.filter(reference__isnull=False).count() > 10
    complaint_perms = Permission.objects.filter(content_type__app_label="complaints")
    assert not complaint_perms.filter(user__isnull=False).exists()
    assert not complaint_perms.filter(group__isnull=False).exists()


def test_superuser_without_the_role_sees_nothing(people, make_complaint):
    complaint = make_complaint()
    assert not selectors.complaint_visible_to(people.superuser).exists()
    from core.permissions import may

    assert not may(people.superuser, "complaints.view", complaint)
    # Django itself would say yes: the reason complaints never ask user.has_perm alone.
    assert people.superuser.has_perm("complaints.view_complaint", complaint)


def test_demo_has_every_state_both_caseworkers_and_overdue_cases(db):
    from io import StringIO

    from accounts import demo as accounts_demo
    from complaints import demo

    accounts_demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())  # idempotent
    assert Complaint.objects.count() == len(demo.DEMO)
    assert set(Complaint.objects.values_list("status", flat=True)) == {
        "submitted",
        "investigating",
        "mediation",
        "decided",
        "closed",
        "rejected",
        "referred",
        "withdrawn",
    }
    assigned = set(ComplaintUserObjectPermission.objects.values_list("user__username", flat=True))
    assert {"caseworker1", "caseworker2"} <= assigned
    assert selectors.complaint_queue(
        user=__import__("accounts").models.User.objects.get(username="supervisor"),
        view="overdue",
    ).exists()


def test_no_admin_screen_shows_complaints():
    """Separation of duties: a Django or Wagtail admin has no screen onto cases."""
    from django.contrib import admin

    assert not [m for m in admin.site._registry if m._meta.app_label == "complaints"]
    from wagtail.snippets.models import get_snippet_models

    assert not [m for m in get_snippet_models() if m._meta.app_label == "complaints"]
