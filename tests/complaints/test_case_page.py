"""The case page for work (issue 16)."""

from django.urls import reverse
from django.utils import translation

from complaints import services
from complaints.models import ComplaintEvent, Deadline, EventKind


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def page(client, complaint, lang="en"):
    return client.get(url("casework:case", lang, reference=complaint.reference)).content.decode()


def test_messages_come_before_internal_notes_and_the_access_log_is_folded(
    people, make_complaint, client_for
):
    complaint = make_complaint("investigating")
    services.complaint_message_post(complaint=complaint, author=people.owner, body="Any news?")
    services.complaint_note_add(complaint=complaint, actor=people.caseworker, note="Internal")
    client = client_for(people.caseworker)
    for _ in range(3):
        html = page(client, complaint)
    assert html.index('id="messages-title"') < html.index('id="timeline-title"')
    assert html.index('id="timeline-title"') < html.index('id="access-title"')
    timeline = html[html.index('id="timeline-title"') : html.index('id="access-title"')]
    assert "Case opened" not in timeline
    name = people.caseworker.get_display_name()
    assert f"{name} opened the case 3 times" in html
    assert html.count(f"{name} opened the case") == 1


def test_an_unavailable_action_says_why(people, client_for, make_complaint):
    from .conftest import submit

    complaint = submit(people.owner).complaint  # nobody assigned
    html = page(client_for(people.supervisor), complaint)
    assert "Accept needs an assigned caseworker." in html
    assert 'value="accept"' not in html
    assert 'value="reject"' in html
    ko = page(client_for(people.supervisor), complaint, "ko")
    assert "조사관" in ko


def test_caseworker_sees_supervisor_moves_with_the_reason(people, client_for, make_complaint):
    complaint = make_complaint("decided")
    html = page(client_for(people.caseworker), complaint)
    assert "Only the supervisor can do this." in html
    assert 'value="close"' not in html


def test_destructive_actions_are_styled_as_such(people, client_for, make_complaint):
    complaint = make_complaint()
    html = page(client_for(people.supervisor), complaint)
    reject = html[html.index('value="reject"') :]
    assert "button-danger" in reject[: reject.index("</form>")]
    assert "Take " in html and "button-danger" in html
    assert "complaints/casework.css" in html and "case-page" in html


def test_pause_resume_and_extend_through_the_page(people, client_for, make_complaint):
    complaint = make_complaint("investigating")
    worker = client_for(people.caseworker)
    html = page(worker, complaint)
    assert url("casework:deadline_pause", reference=complaint.reference) in html
    assert url("casework:deadline_extend", reference=complaint.reference) not in html
    before = Deadline.objects.get(complaint=complaint, ended_at__isnull=True).due_at
    worker.post(
        url("casework:deadline_pause", reference=complaint.reference),
        {"kind": "investigation", "reason": "Waiting for the complainant"},
    )
    assert Deadline.objects.get(complaint=complaint, ended_at__isnull=True).paused_at
    assert "Waiting for the complainant" in page(worker, complaint)
    worker.post(
        url("casework:deadline_resume", reference=complaint.reference), {"kind": "investigation"}
    )
    supervisor = client_for(people.supervisor)
    supervisor.post(
        url("casework:deadline_extend", reference=complaint.reference),
        {"kind": "investigation", "days": "7", "reason": "Holiday"},
    )
    after = Deadline.objects.get(complaint=complaint, ended_at__isnull=True).due_at
    assert (after - before).days == 7
    kinds = set(ComplaintEvent.objects.filter(complaint=complaint).values_list("kind", flat=True))
    assert {EventKind.PAUSED, EventKind.RESUMED, EventKind.EXTENDED} <= kinds
    # A caseworker cannot extend, and a bad form is a message, not a 500.
    refused = worker.post(
        url("casework:deadline_extend", reference=complaint.reference),
        {"kind": "investigation", "days": "x", "reason": ""},
    )
    assert refused.status_code == 302
    bad = supervisor.post(
        url("casework:deadline_pause", reference=complaint.reference), {"kind": "nope"}
    )
    assert bad.status_code == 302


def test_assisted_intake_shows_channel_and_who_took_it(people, client_for):
    from complaints import intake

    submission = intake.complaint_intake(
        actor=people.caseworker,
        channel="phone",
        person=intake.Person(name="Yoon Seo", contact_phone="010-1111-2222", consent=True),
        grounds=["age"],
        description="Refused a job.",
    )
    html = page(client_for(people.supervisor), submission.complaint)
    assert "Yoon Seo" in html and "010-1111-2222" in html
    assert f"taken down by {people.caseworker.get_display_name()}" in html
