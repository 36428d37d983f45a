"""The whole transition matrix of CONTRACT.md section 3, through the API:
every state x transition x role."""

import pytest

from complaints.models import Complaint, ComplaintEvent
from tests import factories

from .conftest import STATES, api

# Written from the contract's table, not imported from the code under test.
CONTRACT = {
    "accept": ({"submitted"}, "supervisor"),
    "reject": ({"submitted"}, "supervisor"),
    "refer": ({"submitted", "investigating"}, "supervisor"),
    "start_mediation": ({"investigating"}, "caseworker"),
    "end_mediation": ({"mediation"}, "caseworker"),
    "settle": ({"mediation"}, "caseworker"),
    "decide": ({"investigating"}, "caseworker"),
    "close": ({"decided"}, "supervisor"),
    "reopen": ({"closed", "rejected"}, "supervisor"),
    "withdraw": ({"submitted", "investigating", "mediation"}, "owner"),
}
TARGET = {
    "accept": "investigating",
    "reject": "rejected",
    "refer": "referred",
    "start_mediation": "mediation",
    "end_mediation": "investigating",
    "settle": "closed",
    "decide": "decided",
    "close": "closed",
    "reopen": "investigating",
    "withdraw": "withdrawn",
}
OUTSIDERS = ["other_caseworker", "other_resident", "anonymous", "superuser"]
INSIDERS = ["supervisor", "caseworker", "owner"]


@pytest.mark.parametrize("transition", list(CONTRACT))
@pytest.mark.parametrize("state", STATES)
def test_transition_matrix(people, make_complaint, client_for, state, transition):
    sources, who = CONTRACT[transition]
    complaint = make_complaint(state)
    path = f"complaints/{complaint.reference}/transitions"
    body = {
        "transition": transition,
        "note": "The finding, the reason or the body.",
        "public_reason": "Why, in plain words.",
    }
    events_before = ComplaintEvent.objects.filter(complaint=complaint, kind="transition").count()

    # Those not on the case learn nothing, whatever the state.
    for role in OUTSIDERS:
        user = None if role == "anonymous" else getattr(people, role)
        response = api(client_for(user), "post", path, body)
        assert response.status_code == 404, (role, response.json())
        assert response.json()["code"] == "not_found"

    # Those on the case: wrong state -> 409, wrong person -> 403; the allowed one last.
    for role in sorted(INSIDERS, key=lambda r: r == who):
        response = api(client_for(getattr(people, role)), "post", path, body)
        if state not in sources:
            assert response.status_code == 409, (role, response.json())
            assert response.json()["code"] == "transition_not_allowed"
        elif role != who:
            assert response.status_code == 403, (role, response.json())
        else:
            assert response.status_code == 200, (role, response.json())
            assert response.json()["status"] == TARGET[transition]

    complaint.refresh_from_db()
    moved = state in sources
    assert complaint.status == (TARGET[transition] if moved else state)
    events_after = ComplaintEvent.objects.filter(complaint=complaint, kind="transition").count()
    assert events_after == events_before + (1 if moved else 0)


def test_accept_needs_an_assigned_caseworker(people, client_for):
    from .conftest import submit

    complaint = submit(people.owner).complaint
    response = api(
        client_for(people.supervisor),
        "post",
        f"complaints/{complaint.reference}/transitions",
        {"transition": "accept"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert Complaint.objects.get(pk=complaint.pk).status == "submitted"


@pytest.mark.parametrize("transition", ["reject", "refer", "decide"])
def test_note_is_required_where_the_contract_says(people, make_complaint, client_for, transition):
    complaint = make_complaint("submitted" if transition != "decide" else "investigating")
    actor = people.caseworker if transition == "decide" else people.supervisor
    response = api(
        client_for(actor),
        "post",
        f"complaints/{complaint.reference}/transitions",
        {"transition": transition, "note": "   "},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "note"
    assert Complaint.objects.get(pk=complaint.pk).status == complaint.status


def test_unknown_transition_is_a_400_naming_the_field(people, make_complaint, client_for):
    complaint = make_complaint()
    response = api(
        client_for(people.supervisor),
        "post",
        f"complaints/{complaint.reference}/transitions",
        {"transition": "explode"},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "transition"


def test_writing_the_status_directly_raises(make_complaint):
    complaint = make_complaint()
    with pytest.raises(AttributeError):
        complaint.status = "closed"
    assert Complaint.objects.get(pk=complaint.pk).status == "submitted"


def test_available_transitions_follow_the_role(people, make_complaint, client_for):
    complaint = make_complaint("investigating")
    path = f"complaints/{complaint.reference}"
    as_supervisor = api(client_for(people.supervisor), "get", path).json()
    as_caseworker = api(client_for(people.caseworker), "get", path).json()
    as_owner = api(client_for(people.owner), "get", path).json()
    assert as_supervisor["available_transitions"] == ["refer"]
    assert sorted(as_caseworker["available_transitions"]) == ["decide", "start_mediation"]
    assert as_owner["available_transitions"] == ["withdraw"]


def test_a_stale_transition_is_a_409_conflict_and_writes_no_event(people, make_complaint):
    """The lost side of a race: it read the case before the other change committed."""
    import django_fsm

    from complaints import services

    complaint = make_complaint("investigating")
    stale = Complaint.objects.get(pk=complaint.pk)
    services.complaint_transition(
        complaint=complaint, actor=people.caseworker, transition="start_mediation"
    )
    before = ComplaintEvent.objects.count()
    with pytest.raises(django_fsm.ConcurrentTransition):
        services.complaint_transition(
            complaint=stale, actor=people.caseworker, transition="decide", note="finding"
        )
    assert ComplaintEvent.objects.count() == before
    assert Complaint.objects.get(pk=complaint.pk).status == "mediation"


def test_the_api_answers_a_lost_race_with_409_conflict(people, make_complaint, monkeypatch):
    """The API maps ConcurrentTransition to {"code": "conflict"}: the request loads
    the case, then another change commits before it saves."""
    from django.test import Client

    from complaints import selectors, services

    complaint = make_complaint("investigating")
    real_get = selectors.complaint_get_for

    def get_then_someone_else_moves(**kwargs):
        loaded = real_get(**kwargs)
        services.complaint_transition(
            complaint=Complaint.objects.get(pk=loaded.pk),
            actor=people.caseworker,
            transition="start_mediation",
        )
        return loaded

    monkeypatch.setattr(selectors, "complaint_get_for", get_then_someone_else_moves)
    client = Client()
    client.force_login(people.caseworker)
    factories.verify_second_factor(client, people.caseworker)
    response = api(
        client,
        "post",
        f"complaints/{complaint.reference}/transitions",
        {"transition": "decide", "note": "finding"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert ComplaintEvent.objects.filter(complaint=complaint, to_status="decided").count() == 0
