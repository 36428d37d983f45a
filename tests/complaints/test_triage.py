"""The triage inbox (issue 16): views with counts, filters, sorts, markers."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from complaints import deadlines, services, triage
from complaints.models import Complaint, Deadline

from .conftest import bulk_cases, submit


def url(name="casework:inbox", lang="en"):
    with translation.override(lang):
        return reverse(name)


def refs(response):
    return [item["row"].reference for item in response.context["rows"]]


def test_the_supervisor_lands_on_new_unassigned_cases(people, client_for, make_complaint):
    assigned = make_complaint()
    new = submit(people.owner).complaint
    client = client_for(people.supervisor)
    landing = client.get(url("casework:queue"))
    assert landing.status_code == 302 and landing["Location"] == url()
    response = client.get(url())
    assert response.context["view"] == "new"
    assert refs(response) == [new.reference]
    assert assigned.reference not in refs(response)


def test_each_view_shows_its_count(people, client_for, make_complaint):
    make_complaint()  # assigned, submitted
    submit(people.owner)  # new
    investigating = make_complaint("investigating")
    make_complaint("closed")
    deadlines.deadline_pause(
        complaint=investigating, actor=people.caseworker, kind="investigation", reason="docs"
    )
    late = make_complaint("investigating")
    Deadline.objects.filter(complaint=late).update(due_at=timezone.now() - datetime.timedelta(1))
    counts = {
        name: count for name, _, count in client_for(people.supervisor).get(url()).context["views"]
    }
    assert counts == {"new": 1, "mine": 0, "overdue": 1, "waiting": 1, "all": 4, "finished": 1}
    worker = client_for(people.caseworker).get(url()).context
    assert worker["view"] == "mine"
    assert {n: c for n, _, c in worker["views"]} == {
        "mine": 3,
        "overdue": 1,
        "waiting": 1,
        "all": 3,
        "finished": 1,
    }


def test_finished_cases_stay_out_of_the_working_views(people, client_for, make_complaint):
    closed = make_complaint("closed")
    client = client_for(people.supervisor)
    for view in ("new", "mine", "overdue", "waiting", "all"):
        assert closed.reference not in refs(client.get(url() + f"?view={view}"))
    assert closed.reference in refs(client.get(url() + "?view=finished"))


def test_grounds_all_of_and_any_of(people, client_for):
    both = submit(people.owner, grounds=("sex", "disability")).complaint
    one = submit(people.owner, grounds=("sex",)).complaint
    other = submit(people.owner, grounds=("age",)).complaint
    client = client_for(people.supervisor)
    any_of = refs(client.get(url() + "?grounds=sex&grounds=disability&match=any"))
    all_of = refs(client.get(url() + "?grounds=sex&grounds=disability&match=all"))
    assert sorted(any_of) == sorted([both.reference, one.reference])
    assert all_of == [both.reference]
    assert other.reference not in any_of


def test_search_by_reference_and_filters(people, client_for, make_complaint):
    mine = make_complaint("investigating")
    phone = submit(people.owner, field_of_life="employment").complaint
    Complaint.objects.filter(pk=phone.pk).update(channel="phone")
    client = client_for(people.supervisor)
    assert refs(client.get(url() + f"?view=all&q={mine.reference[-4:]}")) == [mine.reference]
    assert refs(client.get(url() + "?view=all&channel=phone")) == [phone.reference]
    assert refs(client.get(url() + "?view=all&field_of_life=employment")) == [phone.reference]
    assert refs(client.get(url() + "?view=all&status=investigating")) == [mine.reference]
    by_worker = client.get(url() + f"?view=all&caseworker={people.caseworker.username}")
    assert refs(by_worker) == [mine.reference]
    # Bad values are dropped, never a 500.
    assert client.get(url() + "?view=nope&sort=x&status=y&grounds=z").status_code == 200


def test_sorts_by_deadline_received_and_activity(people, client_for):
    first = submit(people.owner).complaint
    second = submit(people.owner).complaint
    Deadline.objects.filter(complaint=second).update(
        due_at=timezone.now() + datetime.timedelta(days=1)
    )
    services.complaint_note_add(complaint=first, actor=people.supervisor, note="Called back")
    client = client_for(people.supervisor)
    assert refs(client.get(url() + "?sort=deadline")) == [second.reference, first.reference]
    assert refs(client.get(url() + "?sort=received")) == [second.reference, first.reference]
    assert refs(client.get(url() + "?sort=activity")) == [first.reference, second.reference]


def test_an_unanswered_complainant_message_is_marked_and_age_shown(
    people, client_for, make_complaint
):
    complaint = make_complaint("investigating")
    services.complaint_message_post(complaint=complaint, author=people.owner, body="Hello?")
    client = client_for(people.caseworker)
    response = client.get(url())
    [item] = response.context["rows"]
    assert item["unanswered"] is True and item["age_days"] == 0
    assert "unanswered message" in response.content.decode()
    services.complaint_message_post(complaint=complaint, author=people.caseworker, body="Yes.")
    [item] = client.get(url()).context["rows"]
    assert item["unanswered"] is False
    ko = client.get(url(lang="ko")).content.decode()
    assert "0일" in ko


def test_the_inbox_is_404_for_outsiders(people, client_for):
    for user in (None, people.owner, people.superuser):
        assert client_for(user).get(url()).status_code == 404


def test_a_caseworker_sees_only_their_cases(people, client_for, make_complaint):
    make_complaint()
    client = client_for(people.other_caseworker)
    for view in triage.VIEWS:
        response = client.get(url() + f"?view={view}")
        assert response.context["rows"] == []


@pytest.mark.parametrize("who", ["supervisor", "caseworker"])
@pytest.mark.parametrize(
    "query", ["", "?view=all&sort=activity", "?view=all&grounds=sex&grounds=age&match=all"]
)
def test_the_inbox_runs_the_same_queries_for_5_and_60_cases(people, client_for, who, query):
    client = client_for(getattr(people, who))
    bulk_cases(5, caseworker=people.caseworker)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url() + query)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    count()
    small = count()
    bulk_cases(55, caseworker=people.caseworker, start=5)
    assert count() == small
