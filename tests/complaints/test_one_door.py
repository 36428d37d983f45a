"""One door (issue 15): every route that shows case content to staff logs
exactly one `viewed` event, and a refusal answers the same status in HTML and
in the API (404 for whoever may not see the case, 403 for a caller who may see
it but not make this move: CONTRACT.md)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import services
from complaints.models import ComplaintEvent, EventKind

from .conftest import api

ACTORS = ["anonymous", "other_resident", "owner", "other_caseworker", "caseworker", "supervisor"]


def _user(people, actor):
    return None if actor == "anonymous" else getattr(people, actor)


def _views(complaint) -> int:
    return ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.VIEWED).count()


def _attachment(complaint, people):
    return services.complaint_attachment_add(
        complaint=complaint,
        actor=people.owner,
        uploaded_file=SimpleUploadedFile("letter.txt", b"the landlord's letter"),
    )


def _reads(complaint, people):
    """Every route that shows this case's content: name -> request(client)."""
    ref = complaint.reference
    attachment = _attachment(complaint, people)
    return {
        "casework page": lambda c: c.get(reverse("casework:case", args=[ref])),
        "complainant page": lambda c: c.get(reverse("complaints:detail", args=[ref])),
        "api detail": lambda c: api(c, "get", f"complaints/{ref}"),
        "api messages": lambda c: api(c, "get", f"complaints/{ref}/messages"),
        "api events": lambda c: api(c, "get", f"complaints/{ref}/events"),
        "attachment download": lambda c: c.get(
            reverse("complaints:attachment", args=[ref, attachment.pk])
        ),
    }


@pytest.mark.parametrize("actor", ["supervisor", "caseworker"])
def test_every_route_showing_case_content_to_staff_logs_exactly_one_view(
    people, make_complaint, client_for, actor
):
    complaint = make_complaint()
    client = client_for(getattr(people, actor))
    for name, read in _reads(complaint, people).items():
        before = _views(complaint)
        response = read(client)
        assert response.status_code == 200, name
        assert _views(complaint) == before + 1, name


def test_an_export_with_narratives_logs_one_view_per_case(people, make_complaint, client_for):
    complaint = make_complaint()
    before = _views(complaint)
    response = client_for(people.supervisor).post(
        reverse("casework:export"), {"format": "csv", "view": "all", "with_narratives": "on"}
    )
    assert response.status_code == 200
    assert _views(complaint) == before + 1


def test_the_complainant_reading_their_own_case_is_no_staff_view(
    people, make_complaint, client_for
):
    complaint = make_complaint()
    client = client_for(people.owner)
    before = _views(complaint)
    for name, read in _reads(complaint, people).items():
        if name != "casework page":
            assert read(client).status_code == 200, name
    assert _views(complaint) == before


def _file():
    return SimpleUploadedFile("note.txt", b"just text", content_type="text/plain")


# route -> (HTML request, API request), each given (client, complaint, people).
ROUTES = {
    "view": (
        lambda c, k, p: c.get(reverse("complaints:detail", args=[k.reference])),
        lambda c, k, p: api(c, "get", f"complaints/{k.reference}"),
    ),
    "assign": (
        lambda c, k, p: c.post(
            reverse("casework:assign", args=[k.reference]),
            {"caseworker": p.other_caseworker.username},
        ),
        lambda c, k, p: api(
            c,
            "post",
            f"complaints/{k.reference}/assign",
            {"caseworker": p.other_caseworker.username},
        ),
    ),
    "transition": (
        lambda c, k, p: c.post(
            reverse("casework:transition", args=[k.reference]), {"transition": "accept"}
        ),
        lambda c, k, p: api(
            c, "post", f"complaints/{k.reference}/transitions", {"transition": "accept"}
        ),
    ),
    "message": (
        lambda c, k, p: c.post(reverse("complaints:message", args=[k.reference]), {"body": "Hi"}),
        lambda c, k, p: api(c, "post", f"complaints/{k.reference}/messages", {"body": "Hi"}),
    ),
    "attachment": (
        lambda c, k, p: c.post(reverse("complaints:attach", args=[k.reference]), {"file": _file()}),
        lambda c, k, p: c.post(f"/api/v1/complaints/{k.reference}/attachments", {"file": _file()}),
    ),
}

# What each caller gets: "ok" (HTML 2xx or its redirect after a POST, API 2xx),
# 404 (may not see the case) or 403 (may see it, may not make this move).
EXPECTED = {
    "view": {"owner": "ok", "caseworker": "ok", "supervisor": "ok"},
    "assign": {"owner": 403, "caseworker": 403, "supervisor": "ok"},
    "transition": {"owner": 403, "caseworker": 403, "supervisor": "ok"},
    "message": {"owner": "ok", "caseworker": "ok", "supervisor": "ok"},
    "attachment": {"owner": "ok", "caseworker": "ok", "supervisor": 403},
}


def _outcome(response, *, html: bool):
    status = response.status_code
    if 200 <= status < 300 or (html and status == 302):
        return "ok"
    return status


@pytest.mark.parametrize("route", list(ROUTES))
def test_html_and_api_answer_the_same_status_route_by_route(
    people, make_complaint, client_for, route
):
    html_request, api_request = ROUTES[route]
    for actor in ACTORS:
        user = _user(people, actor)
        expected = EXPECTED[route].get(actor, 404)
        # A fresh case for each door, so that one door's success cannot change
        # what the other is asked.
        html = _outcome(html_request(client_for(user), make_complaint(), people), html=True)
        answer = _outcome(api_request(client_for(user), make_complaint(), people), html=False)
        assert (html, answer) == (expected, expected), (route, actor)
