"""A transition POST runs at most 8 queries (issue 21), through the API and
through the casework page's form alike (they call the same service): the
session, the user, the user's roles; the case; one read of the case's people
(grants for every permission check, the recipients, the answer's
caseworkers); the one guarded UPDATE of the case with its due dates; the
event; the notifications in one INSERT. Savepoints are not counted: they are
the test's transaction, not the request's work."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import ComplaintEvent, EventKind, Status
from core.models import Notification

from .conftest import api

TRANSITION_QUERIES = 8


def _queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"].upper()]


def _warm(client) -> None:
    # Per-process reads (content types, permission ids) happen once, not per request.
    client.get("/api/v1/complaints/grounds")


def _moved_once(complaint, people) -> None:
    complaint.refresh_from_db()
    assert complaint.status == Status.INVESTIGATING
    assert (
        ComplaintEvent.objects.filter(
            complaint=complaint, kind=EventKind.TRANSITION, to_status=Status.INVESTIGATING
        ).count()
        == 2  # accept, then end_mediation
    )
    # The same people as before: the supervisor and the complainant, not the actor.
    told = Notification.objects.filter(kind__in=["complaint.transition", "complaint.status"])
    latest = told.order_by("-id")[:2]
    assert {(n.user_id, n.kind) for n in latest} == {
        (people.supervisor.pk, "complaint.transition"),
        (people.owner.pk, "complaint.status"),
    }


def test_an_api_transition_is_at_most_8_queries(people, make_complaint, client_for):
    complaint = make_complaint("mediation")
    client = client_for(people.caseworker)
    _warm(client)
    with CaptureQueriesContext(connection) as ctx:
        response = api(
            client,
            "post",
            f"complaints/{complaint.reference}/transitions",
            {"transition": "end_mediation", "note": "no agreement"},
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "investigating"
    assert body["assigned_to"] == [people.caseworker.username]
    assert body["investigation_due"] is not None
    assert "decide" in body["available_transitions"]
    assert len(_queries(ctx)) <= TRANSITION_QUERIES, "\n".join(_queries(ctx))
    _moved_once(complaint, people)


def test_a_casework_page_transition_is_at_most_8_queries(people, make_complaint, client_for):
    complaint = make_complaint("mediation")
    client = client_for(people.caseworker)
    _warm(client)
    url = reverse("casework:transition", kwargs={"reference": complaint.reference})
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, {"transition": "end_mediation", "note": "no agreement"})
    assert response.status_code == 302
    assert len(_queries(ctx)) <= TRANSITION_QUERIES, "\n".join(_queries(ctx))
    _moved_once(complaint, people)


@pytest.mark.parametrize("state, move", [("submitted", "accept"), ("investigating", "decide")])
def test_moves_that_start_or_end_a_clock_stay_bounded(
    people, make_complaint, client_for, state, move
):
    """Starting a clock reads whether one runs and inserts it; ending one is
    one UPDATE: two more at most, whatever the move."""
    complaint = make_complaint(state)
    actor = people.supervisor if move == "accept" else people.caseworker
    client = client_for(actor)
    _warm(client)
    with CaptureQueriesContext(connection) as ctx:
        response = api(
            client,
            "post",
            f"complaints/{complaint.reference}/transitions",
            {"transition": move, "note": "finding"},
        )
    assert response.status_code == 200, response.content
    assert len(_queries(ctx)) <= TRANSITION_QUERIES + 2, "\n".join(_queries(ctx))
