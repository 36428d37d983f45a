import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.forms import STEPS
from complaints.models import (
    Complaint,
    ComplaintEvent,
)

from .conftest import bulk_cases
from .intake import GOOD_FORM, file_by_form, step_url, url


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_intake_form_renders_in_both_languages(client, db, lang):
    response = client.get(url("complaints:new", lang))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    html = response.content.decode()
    assert f'lang="{lang}"' in html
    assert 'name="identity"' in html
    for step, fields in STEPS[:3]:
        posted = {n: GOOD_FORM[n] for n in fields if n in GOOD_FORM}
        client.post(step_url(step, lang), {**posted, "identity": "anonymous"})
    grounds = client.get(step_url("grounds", lang)).content.decode()
    assert grounds.count('type="checkbox" name="grounds"') == 22
    story = client.get(step_url("story", lang)).content.decode()
    assert 'type="date"' in story


def test_named_submission_shows_the_reference(people, client_for):
    client = client_for(people.owner)
    response, _data = file_by_form(client)
    assert response.status_code == 302
    page = client.get(response["Location"])
    complaint = Complaint.objects.get()
    assert complaint.complainant_user() == people.owner
    assert complaint.reference in page.content.decode()
    assert page.context["submission"]["receipt"] is None
    assert page["Cache-Control"] == "no-store"
    mine = client.get(url("complaints:mine"))
    assert complaint.reference in mine.content.decode()


def test_anonymous_submission_shows_the_receipt_and_stores_only_its_hash(client, db):
    from django.contrib.sessions.models import Session

    filed, _data = file_by_form(client, identity="anonymous")
    response = client.get(filed["Location"])
    complaint = Complaint.objects.get()
    receipt = response.context["submission"]["receipt"]
    groups = receipt.split("-")
    assert len(groups) == 4 and all(len(g) == 4 for g in groups)
    html = response.content.decode()
    # Grouped by four for the eye, digit by digit for a screen reader.
    assert '</span> – <span class="receipt-group">'.join(groups) in html
    assert ", ".join(" ".join(g) for g in groups) in html
    assert complaint.receipt_hash and not complaint.has_account
    # The session holds it only encrypted.
    for session in Session.objects.all():
        assert receipt not in str(session.get_decoded())


def test_the_draft_is_kept_encrypted_between_pages_and_shown_again_on_back(client, db):
    from django.contrib.sessions.models import Session

    client.post(step_url("identity"), {"identity": "anonymous"})
    client.post(step_url("contact"), {"contact_email": ""})
    client.post(step_url("story"), {"description": "DRAFT-5521 they shouted at me"})
    for session in Session.objects.all():
        assert "DRAFT-5521" not in str(session.get_decoded())
    back = client.get(step_url("story")).content.decode()
    assert "DRAFT-5521 they shouted at me" in back
    # Skipping ahead to a page whose questions come later goes back to the first unanswered.
    assert client.get(step_url("check"))["Location"] == step_url("grounds")
    check_page = file_by_form(client, identity="anonymous", description="DRAFT-5521")
    assert check_page[0].status_code == 302


def test_check_your_answers_lists_everything_with_change_links(client, db):
    for step, fields in STEPS[:-1]:
        client.post(step_url(step), {n: GOOD_FORM[n] for n in fields if n in GOOD_FORM})
    html = client.get(step_url("check")).content.decode()
    for text in ("Kim Mina", "mina@example.org", "The clinic refused to register me.", "Clinic"):
        assert text in html
    assert "Disability, Medical history" in html and "Health care" in html
    for step in ("contact", "story", "grounds", "place"):
        assert f'href="{step_url(step)}"' in html
    assert 'name="consent"' in html


@pytest.mark.parametrize(
    ("step", "data", "field", "says"),
    [
        ("identity", {}, "identity", "Choose whether"),
        ("story", {"description": ""}, "description", "Tell us what happened."),
        ("story", {"description": "x" * 20_001}, "description", ""),
        ("story", {"description": "ok", "incident_date": "2999-01-01"}, "incident_date", "future"),
        ("grounds", {}, "grounds", "Choose at least one reason"),
        ("grounds", {"grounds": ["made_up"]}, "grounds", ""),
        ("place", {}, "field_of_life", "Choose where it happened."),
        ("check", {}, "consent", "Tick the box"),
    ],
)
def test_intake_errors_are_listed_at_the_top_and_at_the_field(client, db, step, data, field, says):
    for earlier, fields in STEPS[: [s for s, _f in STEPS].index(step)]:
        client.post(step_url(earlier), {n: GOOD_FORM[n] for n in fields if n in GOOD_FORM})
    response = client.post(step_url(step), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html and "autofocus" in html
    assert "<title>Error:" in html
    assert f'href="#id_{field}' in html
    assert field in response.context["form"].errors
    assert says in html
    assert ".:" not in html and "(optional) (optional)" not in html
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("who", ["caseworker", "supervisor"])
@pytest.mark.parametrize("query", ["", "?view=all", "?view=overdue", "?ground=sex&overdue=on"])
def test_queue_runs_the_same_queries_for_10_and_1000_cases(people, client_for, who, query):
    user = getattr(people, who)
    client = client_for(user)
    if who == "supervisor" and "view=" not in query:
        query = "?view=all&" + query.lstrip("?")
    bulk_cases(10, caseworker=people.caseworker)
    target = url("casework:queue") + query

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(target)
        assert response.status_code == 200
        assert response.context["page_obj"].paginator.count > 0
        return len(ctx.captured_queries)

    count()  # warm the per-process caches (content types, site settings)
    small = count()
    bulk_cases(990, caseworker=people.caseworker, start=10)
    assert count() == small


def test_queue_is_sorted_by_nearest_deadline_and_filters(people, client_for):
    bulk_cases(30, caseworker=people.caseworker)
    client = client_for(people.caseworker)
    page = client.get(url("casework:queue")).context["page_obj"]
    deadlines = [c.next_deadline for c in page]
    assert deadlines == sorted(deadlines)
    assert len(deadlines) == 25 and page.paginator.count == 30
    overdue = client.get(url("casework:queue") + "?overdue=on").context["page_obj"]
    assert overdue.paginator.count > 0
    assert all(c.next_deadline < timezone.now() for c in overdue)
    by_ground = client.get(url("casework:queue") + "?ground=religion").context["page_obj"]
    assert by_ground.paginator.count == 0
    by_status = client.get(url("casework:queue") + "?status=submitted").context["page_obj"]
    assert by_status.paginator.count == 30


def test_queue_pages_like_django_get_page(people, client_for):
    """The page and the count come from one query; bad and past-the-end page
    numbers still give the first and the last page."""
    bulk_cases(30, caseworker=people.caseworker)
    client = client_for(people.caseworker)

    def page(query):
        context = client.get(url("casework:queue") + query).context
        page_obj = context["page_obj"]
        return page_obj.number, len(context["rows"]), page_obj.paginator.count

    assert page("") == (1, 25, 30)
    assert page("?page=2") == (2, 5, 30)
    assert page("?page=9") == (2, 5, 30)
    assert page("?page=x") == (1, 25, 30)
    assert page("?page=0") == (1, 25, 30)
    empty = client_for(people.other_caseworker).get(url("casework:queue") + "?page=3")
    assert empty.context["page_obj"].paginator.count == 0
    assert "No cases match." in empty.content.decode()
    # Over every case the supervisor counts apart (no window over all rows).
    client = client_for(people.supervisor)
    with CaptureQueriesContext(connection) as ctx:
        assert page("?view=all&page=9") == (2, 5, 30)
    assert not [q["sql"] for q in ctx.captured_queries if " OVER " in q["sql"]]
    assert page("?view=mine") == (1, 0, 0)


def test_queue_rows_show_status_reasons_and_caseworkers(people, client_for):
    bulk_cases(1, caseworker=people.caseworker)
    html = client_for(people.caseworker).get(url("casework:queue")).content.decode()
    assert '<span class="status status-submitted">Submitted</span>' in html
    assert "<td>Age, Sex</td>" in html
    assert f"<td>{people.caseworker.get_display_name()}</td>" in html
    due = timezone.localtime(Complaint.objects.get().triage_due)  # in the site's time zone
    shown = f"{due.day} {due:%B} {due.year}"  # the English DATE_FORMAT
    assert f'<time datetime="{due.isoformat()}">{shown}</time>' in html
    ko = client_for(people.caseworker).get(url("casework:queue", lang="ko")).content.decode()
    assert "<td>나이, 성별</td>" in ko


def test_queue_is_404_for_non_staff(people, client_for):
    for user in (None, people.owner, people.superuser):
        assert client_for(user).get(url("casework:queue")).status_code == 404


def test_case_page_moves_notes_assignment_and_recusal(people, make_complaint, client_for):
    complaint = make_complaint()
    supervisor = client_for(people.supervisor)
    page = supervisor.get(url("casework:case", reference=complaint.reference))
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert 'value="accept"' in html and 'value="reject"' in html
    assert 'value="decide"' not in html
    # A move with its note.
    supervisor.post(
        url("casework:transition", reference=complaint.reference),
        {"transition": "accept", "note": "Looks serious"},
    )
    complaint.refresh_from_db()
    assert complaint.status == "investigating"
    # Reject needs a note: refused with a message, nothing moves.
    other = make_complaint()
    supervisor.post(url("casework:transition", reference=other.reference), {"transition": "reject"})
    assert Complaint.objects.get(pk=other.pk).status == "submitted"
    # Internal note.
    supervisor.post(url("casework:note", reference=complaint.reference), {"note": "Call them"})
    assert complaint.events.filter(kind="note").count() == 1
    # Assignment of the second caseworker.
    supervisor.post(
        url("casework:assign", reference=complaint.reference),
        {"caseworker": people.other_caseworker.username},
    )
    assert complaint.assignee_permissions().filter(user=people.other_caseworker).exists()
    # The second caseworker steps aside.
    recusing = client_for(people.other_caseworker)
    response = recusing.post(url("casework:recuse", reference=complaint.reference), {"note": ""})
    assert response.status_code == 302
    assert recusing.get(url("casework:case", reference=complaint.reference)).status_code == 404
    # A caseworker may see the case but not accept/close it: 403.
    forbidden = client_for(people.caseworker).post(
        url("casework:transition", reference=complaint.reference), {"transition": "refer"}
    )
    assert forbidden.status_code == 403


def test_staff_opening_a_case_is_logged(people, make_complaint, client_for):
    complaint = make_complaint()
    client_for(people.caseworker).get(url("casework:case", reference=complaint.reference))
    assert ComplaintEvent.objects.filter(
        complaint=complaint, kind="viewed", actor=people.caseworker
    ).exists()


def test_owner_can_withdraw_from_their_page(people, make_complaint, client_for):
    complaint = make_complaint()
    client = client_for(people.owner)
    page = client.get(url("complaints:detail", reference=complaint.reference))
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    withdraw = url("complaints:withdraw", reference=complaint.reference)
    assert withdraw in page.content.decode()
    # A confirmation step: the page asks, an unticked POST changes nothing.
    confirm = client.get(withdraw)
    assert confirm.status_code == 200 and 'name="confirm"' in confirm.content.decode()
    refused = client.post(withdraw)
    assert refused.status_code == 200 and "Tick the box" in refused.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == "submitted"
    client.post(withdraw, {"confirm": "on"})
    assert Complaint.objects.get(pk=complaint.pk).status == "withdrawn"


def test_unknown_reference_shape_is_404(people, client_for):
    client = client_for(people.supervisor)
    assert client.get(url("casework:case", reference=str(uuid.uuid4()))).status_code == 404


def test_unassigned_queue_runs_the_same_queries_for_10_and_1000_cases(people, client_for):
    client = client_for(people.supervisor)
    now = timezone.now()

    def make(n, start):
        Complaint.objects.bulk_create(
            [
                Complaint(reference=f"HR-2026-{start + i:06d}", description="x", consent_at=now)
                for i in range(n)
            ]
        )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("casework:queue") + "?view=unassigned")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.context["page_obj"].paginator.count

    make(10, 0)
    count()
    small, seen = count()
    assert seen == 10
    make(990, 10)
    assert count() == (small, 1000)
