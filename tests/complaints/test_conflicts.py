"""Conflicts that stay declared (issue 16)."""

import pytest
from django.urls import reverse
from django.utils import translation

from complaints import conflicts, services
from complaints.conflicts import ConflictDeclared
from complaints.models import Complaint, ComplaintEvent, EventKind
from core.errors import Refused
from core.models import Notification
from tests import factories

from .conftest import api


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def recused_case(people, make_complaint):
    complaint = make_complaint()
    services.complaint_recuse(complaint=complaint, actor=people.caseworker, note="My neighbour")
    return Complaint.objects.get(pk=complaint.pk)


def test_a_recusal_stays_on_record_and_blocks_reassignment(people, make_complaint):
    complaint = recused_case(people, make_complaint)
    with pytest.raises(ConflictDeclared):
        services.complaint_assign(
            complaint=complaint, actor=people.supervisor, caseworker=people.caseworker
        )
    assert not complaint.assignee_permissions().filter(user=people.caseworker).exists()


def test_an_override_reason_assigns_goes_on_the_timeline_and_to_every_supervisor(
    people, make_complaint
):
    second = factories.supervisor()
    complaint = recused_case(people, make_complaint)
    services.complaint_assign(
        complaint=complaint,
        actor=people.supervisor,
        caseworker=people.caseworker,
        override_reason="Only Korean sign language speaker on staff",
    )
    assert complaint.assignee_permissions().filter(user=people.caseworker).exists()
    event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.OVERRIDE)
    assert event.note == "Only Korean sign language speaker on staff"
    assert event.actor == people.supervisor and event.subject == people.caseworker
    for supervisor in (people.supervisor, second):
        assert Notification.objects.filter(
            user=supervisor, kind="complaint.conflict_override"
        ).exists()
    # Staff only: the complainant never sees it.
    client_events = services.selectors.complaint_events_for(user=people.owner, complaint=complaint)
    assert EventKind.OVERRIDE not in [e.kind for e in client_events]


def test_a_standing_conflict_with_the_other_party_warns_and_needs_the_override(
    people, make_complaint, client_for
):
    conflicts.conflict_declare(
        user=people.other_caseworker, kind="organisation", name="Hanbit  Clinic"
    )
    complaint = make_complaint()
    Complaint.objects.filter(pk=complaint.pk).update(
        respondent_kind="organisation", respondent_name="hanbit clinic (Mapo branch)"
    )
    complaint.refresh_from_db()
    supervisor = client_for(people.supervisor)
    page = supervisor.get(url("casework:case", reference=complaint.reference)).content.decode()
    assert "declared a standing conflict with the other party" in page
    assert 'name="override_reason"' in page
    supervisor.post(
        url("casework:assign", reference=complaint.reference),
        {"caseworker": people.other_caseworker.username},
    )
    assert not complaint.assignee_permissions().filter(user=people.other_caseworker).exists()
    supervisor.post(
        url("casework:assign", reference=complaint.reference),
        {"caseworker": people.other_caseworker.username, "override_reason": "Agreed with them"},
    )
    assert complaint.assignee_permissions().filter(user=people.other_caseworker).exists()


def test_no_conflict_no_override_needed(people, make_complaint):
    conflicts.conflict_declare(user=people.other_caseworker, kind="person", name="Choi")
    complaint = make_complaint()
    services.complaint_assign(
        complaint=complaint, actor=people.supervisor, caseworker=people.other_caseworker
    )
    assert not ComplaintEvent.objects.filter(kind=EventKind.OVERRIDE).exists()


def test_the_api_answers_409_conflict_of_interest(people, make_complaint, client_for):
    complaint = recused_case(people, make_complaint)
    client = client_for(people.supervisor)
    path = f"complaints/{complaint.reference}/assign"
    refused = api(client, "post", path, {"caseworker": people.caseworker.username})
    assert refused.status_code == 409 and refused.json()["code"] == "conflict_of_interest"
    done = api(
        client,
        "post",
        path,
        {"caseworker": people.caseworker.username, "override_reason": "No one else"},
    )
    assert done.status_code == 200 and people.caseworker.username in done.json()["assigned_to"]


def test_caseworkers_declare_and_withdraw_standing_conflicts(people, client_for):
    client = client_for(people.caseworker)
    page = client.get(url("casework:conflicts"))
    assert page.status_code == 200
    client.post(url("casework:conflicts"), {"kind": "person", "name": "Jang Hyun", "note": ""})
    [conflict] = conflicts.conflicts_of(user=people.caseworker)
    assert conflict.name == "Jang Hyun"
    client.post(url("casework:conflicts"), {"withdraw": str(conflict.pk)})
    assert not conflicts.conflicts_of(user=people.caseworker).exists()
    # Someone else's id changes nothing and is no 500.
    assert client.post(url("casework:conflicts"), {"withdraw": "x"}).status_code == 200
    ko = client.get(url("casework:conflicts", lang="ko")).content.decode()
    assert "이해충돌" in ko


def test_only_caseworkers_declare(people, client_for):
    with pytest.raises(Refused):
        conflicts.conflict_declare(user=people.owner, kind="person", name="X")
    assert client_for(people.owner).get(url("casework:conflicts")).status_code == 404
