"""Anonymised decisions: the caseworker on the case writes the public version,
the redaction aid flags personal data, a supervisor who did not write it
approves, and only then is it public and searchable."""

import datetime

import pytest

from accountability import redaction, services
from accountability.models import Decision, DecisionState
from complaints import services as complaint_services
from complaints.models import ComplaintEvent
from core.errors import Invalid, NotNow, Refused
from tests import factories
from tests.accountability.conftest import make_decision, make_recommendation
from tests.complaints.conftest import submit

pytestmark = pytest.mark.django_db

DATA = {
    "title_ko": "나이를 이유로 한 임대 거절",
    "title_en": "Refused a flat because of age",
    "summary_ko": "요약",
    "summary_en": "Summary",
    "easy_read_ko": "쉬운 말 요약",
    "easy_read_en": "Easy read",
    "body_ko": "본문",
    "body_en": "The landlord refused. Call 010-1234-5678 or write to kim@example.org.",
    "grounds": ["age"],
    "field_of_life": "housing",
    "decided_on": datetime.date(2026, 6, 1),
    "outcome": "upheld",
}


@pytest.fixture
def case(db):
    supervisor, caseworker, owner = (
        factories.supervisor(),
        factories.caseworker(),
        factories.resident(),
    )
    complaint = submit(owner).complaint
    complaint.contact_name = "홍길동"
    complaint.save(update_fields=["contact_name"])
    complaint_services.complaint_assign(
        complaint=complaint, actor=supervisor, caseworker=caseworker
    )
    for who, name in ((supervisor, "accept"), (caseworker, "decide")):
        complaint_services.complaint_transition(
            complaint=complaint, actor=who, transition=name, note="n"
        )
    complaint.refresh_from_db()
    return {
        "complaint": complaint,
        "supervisor": supervisor,
        "caseworker": caseworker,
        "owner": owner,
    }


def test_only_the_office_on_the_case_may_write(case):
    other = factories.caseworker()
    with pytest.raises(Exception):  # noqa: B017 - 404 for a case they cannot see
        services.decision_case_for(user=other, reference=case["complaint"].reference)
    with pytest.raises(Exception):  # noqa: B017
        services.decision_case_for(user=case["owner"], reference=case["complaint"].reference)
    assert services.decision_case_for(
        user=case["caseworker"], reference=case["complaint"].reference
    )


def test_a_case_not_decided_cannot_be_published(db):
    supervisor = factories.supervisor()
    complaint = submit(factories.resident()).complaint
    with pytest.raises(NotNow):
        services.decision_case_for(user=supervisor, reference=complaint.reference)


def test_draft_to_published_only_through_the_supervisor(case, client):
    decision = services.decision_save(
        actor=case["caseworker"], complaint=case["complaint"], data=DATA
    )
    assert decision.state == DecisionState.DRAFT
    assert client.get(f"/en/accountability/decisions/{decision.pk}/").status_code == 404
    services.decision_submit(decision=decision, actor=case["caseworker"])
    assert client.get("/api/v1/decisions").json() == []
    with pytest.raises(Refused):  # the caseworker cannot approve
        services.decision_approve(decision=decision, actor=case["caseworker"], flags_checked=True)
    with pytest.raises(Invalid) as error:  # flags not yet checked
        services.decision_approve(decision=decision, actor=case["supervisor"], flags_checked=False)
    assert error.value.field == "flags_checked"
    services.decision_approve(decision=decision, actor=case["supervisor"], flags_checked=True)
    body = client.get("/api/v1/decisions", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [d["id"] for d in body] == [decision.pk]
    assert {
        "id",
        "title",
        "summary",
        "easy_read",
        "grounds",
        "field_of_life",
        "decided_on",
        "outcome",
        "url",
    } <= set(body[0])
    assert body[0]["grounds"] == ["age"]


def test_a_supervisor_may_not_approve_what_they_wrote(case):
    decision = services.decision_save(
        actor=case["supervisor"], complaint=case["complaint"], data=DATA
    )
    services.decision_submit(decision=decision, actor=case["supervisor"])
    with pytest.raises(Refused):
        services.decision_approve(decision=decision, actor=case["supervisor"], flags_checked=True)
    services.decision_approve(decision=decision, actor=factories.supervisor(), flags_checked=True)


def test_flags_name_phone_email_address_birth_date_reference(case):
    complaint = case["complaint"]
    data = {
        **DATA,
        "body_ko": (
            f"홍길동 씨(1985년 3월 12일 출생, 금남로 123 거주)는 {complaint.reference} 사건에서"
        ),
    }
    decision = services.decision_save(actor=case["caseworker"], complaint=complaint, data=data)
    before = ComplaintEvent.objects.filter(complaint=complaint, kind="viewed").count()
    kinds = {
        (f.kind, f.text)
        for f in services.decision_flags(decision=decision, viewer=case["caseworker"])
    }
    assert ("name", "홍길동") in kinds
    assert ("reference", complaint.reference) in kinds
    assert ("phone", "010-1234-5678") in kinds
    assert ("email", "kim@example.org") in kinds
    assert ("address", "금남로 123") in kinds
    assert any(kind == "birth_date" for kind, _ in kinds)
    # Reading the case's names is reading the case: it is logged.
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="viewed").count() == before + 1


def test_redaction_aid_english_and_no_false_alarm():
    flags = redaction.flags_in(
        {"body_en": "Ms Nguyen Thi Lan, born 4 July 1990, lives at 12 Market Street."},
        names=["Nguyen Thi Lan"],
    )
    kinds = {f.kind for f in flags}
    assert {"name", "birth_date", "address"} <= kinds
    assert redaction.flags_in({"body_en": "The office decided on 2026-06-01."}, names=[]) == []


def test_the_office_pages(case, client_for):
    caseworker = client_for(case["caseworker"])
    reference = case["complaint"].reference
    assert reference in caseworker.get("/en/accountability/office/decisions/").content.decode()
    form = {**DATA, "decided_on": "2026-06-01"}
    response = caseworker.post(f"/en/accountability/office/decisions/new/{reference}/", form)
    assert response.status_code == 302
    decision = Decision.objects.get()
    page = caseworker.get(response["Location"]).content.decode()
    assert "010-1234-5678" in page and "Check these passages" in page
    caseworker.post(f"/en/accountability/office/decisions/{decision.pk}/submit/")
    assert (
        caseworker.post(f"/en/accountability/office/decisions/{decision.pk}/approve/").status_code
        == 403
    )
    supervisor = client_for(case["supervisor"])
    supervisor.post(
        f"/en/accountability/office/decisions/{decision.pk}/approve/", {"flags_checked": "on"}
    )
    decision.refresh_from_db()
    assert decision.state == DecisionState.PUBLISHED
    # Nobody else sees the office pages of a decision.
    assert (
        client_for(factories.caseworker())
        .get(f"/en/accountability/office/decisions/{decision.pk}/")
        .status_code
        == 404
    )
    assert client_for(case["owner"]).get("/en/accountability/office/decisions/").status_code == 404


def test_filters_and_links_to_recommendations(client):
    decision = make_decision()
    make_decision(
        title_en="Other",
        title_ko="다른 결정",
        field_of_life="employment",
        outcome="not_upheld",
        decided_on=datetime.date(2025, 2, 1),
    )
    make_decision(title_en="Draft", state="draft")
    rec = make_recommendation(decision=decision)

    def titles(**p):
        body = client.get("/api/v1/decisions", p, HTTP_ACCEPT_LANGUAGE="en").json()
        return [d["title"] for d in body]

    assert titles() == ["Refused a flat because of age", "Other"]
    assert titles(year="2025") == ["Other"]
    assert titles(ground="age", field_of_life="housing") == ["Refused a flat because of age"]
    assert titles(outcome="not_upheld") == ["Other"]
    assert titles(q="flat") == ["Refused a flat because of age"]
    assert titles(q="임대 거절") == ["Refused a flat because of age"]
    assert client.get("/api/v1/decisions?ground=x").status_code == 400
    html = client.get(f"/en/accountability/decisions/{decision.pk}/").content.decode()
    assert f"/en/accountability/recommendations/{rec.pk}/" in html
    assert "They said no because of age" in html  # the easy-read summary
