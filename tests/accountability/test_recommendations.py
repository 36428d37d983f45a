"""Recommendations: statuses per the contract, filters, no personal data, only
published ones, and the overdue selector for the casework deadline engine."""

import datetime

import pytest

from accountability.selectors import recommendations_overdue
from tests.accountability.conftest import bulk_complaints, make_decision, make_recommendation

pytestmark = pytest.mark.django_db


def statuses(client, **params):
    return {
        r["title"]: r["status"]
        for r in client.get("/api/v1/recommendations", params, HTTP_ACCEPT_LANGUAGE="en").json()
    }


def test_statuses_follow_the_answer_and_the_implementation(client):
    make_recommendation(title_en="Waiting")
    make_recommendation(
        title_en="Yes",
        answer="accepted",
        answer_text_en="We will.",
        answered_at=datetime.date(2026, 4, 1),
    )
    make_recommendation(title_en="Partly", answer="partly_accepted")
    make_recommendation(title_en="No", answer="rejected")
    make_recommendation(
        title_en="Done", answer="accepted", implemented_at=datetime.date(2026, 9, 1)
    )
    assert statuses(client) == {
        "Waiting": "awaiting_response",
        "Yes": "accepted",
        "Partly": "partly_accepted",
        "No": "rejected",
        "Done": "implemented",
    }
    assert statuses(client, status="implemented") == {"Done": "implemented"}
    assert statuses(client, status="accepted") == {"Yes": "accepted"}


def test_shape_and_no_personal_data(client):
    complaint = bulk_complaints(1)[0]
    decision = make_decision()
    make_recommendation(
        answer="accepted",
        answer_text_en="We will.",
        answered_at=datetime.date(2026, 4, 1),
        complaint=complaint,
        decision=decision,
    )
    item = client.get("/api/v1/recommendations", HTTP_ACCEPT_LANGUAGE="en").json()[0]
    assert {
        "id",
        "title",
        "department",
        "issued_at",
        "response_due",
        "status",
        "response",
        "decision",
        "url",
    } <= set(item)
    assert item["response"] == {"text": "We will.", "at": "2026-04-01"}
    assert item["decision"] == f"/en/accountability/decisions/{decision.pk}/"
    text = client.get("/api/v1/recommendations").content.decode()
    page = client.get(item["url"]).content.decode()
    for body in (text, page):
        assert complaint.reference not in body and str(complaint.pk) not in body


def test_filters_by_department_and_ground(client):
    make_recommendation(title_en="Welfare one")
    make_recommendation(title_en="Housing one", department_code="housing", ground="age")
    assert set(statuses(client, department="housing")) == {"Housing one"}
    assert set(statuses(client, ground="disability")) == {"Welfare one"}
    response = client.get("/api/v1/recommendations?status=maybe")
    assert response.status_code == 400 and response.json()["field"] == "status"
    assert client.get("/api/v1/recommendations?department=nowhere").status_code == 400
    page = client.get("/en/accountability/recommendations/?department=housing").content.decode()
    assert "Housing one" in page and "Welfare one" not in page
    assert client.get("/en/accountability/recommendations/?status=x").status_code == 400


def test_unpublished_is_nowhere(client):
    rec = make_recommendation(title_en="Not yet public", published=False)
    assert client.get("/api/v1/recommendations").json() == []
    assert client.get(f"/en/accountability/recommendations/{rec.pk}/").status_code == 404


def test_page_shows_the_answer_and_milestones(client):
    from accountability.models import Milestone

    rec = make_recommendation(answer="partly_accepted", answer_text_en="Some of it.")
    Milestone.objects.create(
        recommendation=rec,
        text_en="Guidance drafted",
        text_ko="지침 초안",
        done_at=datetime.date(2026, 6, 1),
    )
    html = client.get(f"/en/accountability/recommendations/{rec.pk}/").content.decode()
    assert "Some of it." in html and "Guidance drafted" in html and "Partly accepted" in html


def test_overdue_selector_for_the_deadline_engine():
    late = make_recommendation(title_en="Late", response_due=datetime.date(2026, 5, 1))
    make_recommendation(
        title_en="Answered", response_due=datetime.date(2026, 5, 1), answer="rejected"
    )
    make_recommendation(title_en="Not due", response_due=datetime.date(2026, 8, 1))
    now = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
    assert list(recommendations_overdue(now)) == [late]


def test_list_queries_are_bounded(client, django_assert_max_num_queries):
    for i in range(8):
        make_recommendation(title_en=f"R{i}", decision=make_decision(title_en=f"D{i}"))
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/recommendations").json()) == 8


def test_the_supervisor_records_them_in_wagtail(client_for):
    from tests import factories

    url = "/cms-admin/snippets/accountability/recommendation/"
    assert client_for(factories.supervisor()).get(url).status_code == 200
    assert client_for(factories.caseworker()).get(url).status_code in (302, 403)
    assert client_for(factories.resident()).get(url).status_code in (302, 403)


def test_an_unanswered_recommendation_escalates_to_every_supervisor_once():
    from io import StringIO

    from django.core.management import call_command

    from core.models import Notification
    from tests import factories

    first, second = factories.supervisor(), factories.supervisor()
    caseworker = factories.caseworker()
    late = make_recommendation(title_en="Late", response_due=datetime.date(2026, 5, 1))
    make_recommendation(
        title_en="Answered", response_due=datetime.date(2026, 5, 1), answer="rejected"
    )
    out = StringIO()
    call_command("casework_deadlines", stdout=out)
    call_command("casework_deadlines", stdout=out)  # a second run tells nobody twice
    notices = Notification.objects.filter(kind="recommendation.overdue")
    assert sorted(n.user_id for n in notices) == sorted([first.pk, second.pk])
    assert not notices.filter(user=caseworker).exists()
    assert all(n.payload["id"] == late.pk for n in notices)
    assert f"/recommendations/{late.pk}/" in notices.first().url
    assert "1 late recommendations." in out.getvalue()
    late.refresh_from_db()
    assert late.escalated_at is not None
