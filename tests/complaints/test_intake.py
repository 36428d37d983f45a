"""Assisted intake (issue 16): staff file a complaint for someone else."""

import pytest

from complaints import selectors
from complaints.models import Complaint, ComplaintEvent, Deadline, EventKind
from tests import factories

from .conftest import api

BODY = {
    "grounds": ["disability", "age"],
    "description": "The clinic refused to book me because of my wheelchair.",
    "anonymous": False,
    "channel": "phone",
    "on_behalf_of": {"name": "Kim Minji", "contact_phone": "010-1234-5678", "consent": True},
}


@pytest.fixture
def staff_client(client, people):
    login(client, people.caseworker)
    return client


def login(client, user) -> None:
    """Signed in; staff with a verified second factor (accounts.second_factor)."""
    client.force_login(user)
    factories.verify_second_factor(client, user)


def test_a_caseworker_files_for_a_caller_who_is_the_complainant(staff_client, people):
    response = api(staff_client, "post", "complaints", BODY)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and len(body["receipt"].replace("-", "")) == 16
    complaint = Complaint.objects.get(reference=body["reference"])
    assert complaint.channel == "phone"
    assert complaint.taken_by == people.caseworker
    assert not complaint.has_account
    assert complaint.contact_name == "Kim Minji"
    assert complaint.contact_phone == "010-1234-5678"
    assert Deadline.objects.filter(complaint=complaint, kind="triage").exists()
    submitted = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.SUBMITTED)
    assert submitted.actor == people.caseworker


def test_the_receipt_opens_the_case_for_the_person(staff_client, client, people):
    receipt = api(staff_client, "post", "complaints", BODY).json()["receipt"]
    staff_client.logout()
    response = api(client, "post", "complaints/status", {"receipt": receipt})
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_the_staff_member_is_not_the_complainant(staff_client, people):
    reference = api(staff_client, "post", "complaints", BODY).json()["reference"]
    assert not Complaint.objects.filed_by(people.caseworker).exists()
    assert reference not in [
        c.reference for c in selectors.complaint_own_list(user=people.caseworker)
    ]


def test_it_appears_in_the_supervisors_queue_like_any_other(staff_client, people):
    reference = api(staff_client, "post", "complaints", BODY).json()["reference"]
    queue = selectors.complaint_queue(user=people.supervisor, view="unassigned")
    assert reference in [c.reference for c in queue]


def test_the_supervisor_may_take_intake_too(client, people):
    login(client, people.supervisor)
    assert api(client, "post", "complaints", {**BODY, "channel": "visit"}).status_code == 201


def test_a_resident_may_not_file_on_behalf_of_someone(client, people):
    login(client, people.owner)
    response = api(client, "post", "complaints", BODY)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"on_behalf_of": {"name": "Kim", "consent": False}}, "on_behalf_of.consent"),
        ({"on_behalf_of": {"name": " ", "consent": True}}, "on_behalf_of.name"),
        ({"channel": "pigeon"}, "channel"),
        ({"channel": "letter", "on_behalf_of": None}, "on_behalf_of"),
        (
            {"on_behalf_of": {"name": "Kim", "contact_email": "nope", "consent": True}},
            "on_behalf_of.contact_email",
        ),
    ],
)
def test_bad_intake_is_a_400_naming_the_field(staff_client, change, field):
    response = api(staff_client, "post", "complaints", {**BODY, **change})
    assert response.status_code == 400, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Complaint.objects.exists()


def test_an_idempotent_retry_files_once(staff_client):
    first = api(staff_client, "post", "complaints", BODY, HTTP_IDEMPOTENCY_KEY="k-1")
    second = api(staff_client, "post", "complaints", BODY, HTTP_IDEMPOTENCY_KEY="k-1")
    assert second.status_code == 201
    assert first.json()["reference"] == second.json()["reference"]
    assert Complaint.objects.count() == 1


def test_without_intake_fields_a_complaint_is_online(client, people):
    login(client, people.owner)
    body = {k: v for k, v in BODY.items() if k not in ("channel", "on_behalf_of")}
    reference = api(client, "post", "complaints", body).json()["reference"]
    assert Complaint.objects.get(reference=reference).channel == "online"


# --- the staff page -----------------------------------------------------------------------


FORM = {
    "submission_key": "abc123",
    "channel": "visit",
    "name": "Lee Jiho",
    "contact_phone": "02-123-4567",
    "contact_email": "",
    "consent": "on",
    "description": "The landlord refused because I am pregnant.",
    "grounds": ["pregnancy_childbirth"],
    "field_of_life": "housing",
    "incident_date": "",
    "location": "",
}


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_intake_page_gives_a_printable_receipt_in_both_languages(
    staff_client, people, language
):
    page = staff_client.get(f"/{language}/casework/intake/")
    assert page.status_code == 200
    response = staff_client.post(f"/{language}/casework/intake/", FORM)
    assert response.status_code == 200
    html = response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.channel == "visit" and complaint.taken_by == people.caseworker
    assert complaint.contact_name == "Lee Jiho" and not complaint.has_account
    assert complaint.reference in html
    assert 'lang="ko"' in html and 'lang="en"' in html
    assert "진정" in html and "Your complaint was received" in html
    assert response["Cache-Control"] == "no-store"


def test_the_intake_page_refuses_without_consent(staff_client):
    response = staff_client.post("/en/casework/intake/", {**FORM, "consent": ""})
    assert response.status_code == 200
    assert "Confirm that the person agreed" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_intake_page_is_for_staff_only(client, people):
    login(client, people.owner)
    assert client.get("/en/casework/intake/").status_code == 404
    assert client.post("/en/casework/intake/", FORM).status_code == 404
    assert not Complaint.objects.exists()


def test_the_case_reports_its_channel_and_every_event_its_actor(staff_client, client, people):
    reference = api(staff_client, "post", "complaints", BODY).json()["reference"]
    login(client, people.supervisor)
    assert api(client, "get", f"complaints/{reference}").json()["channel"] == "phone"
    anonymous = api(
        client,
        "post",
        "complaints",
        {"grounds": ["age"], "description": "Refused.", "anonymous": True},
    ).json()["reference"]
    events = api(client, "get", f"complaints/{anonymous}/events").json()
    assert events and all("actor" in e for e in events)
    assert events[0]["actor"] is None and "note" not in events[0]
