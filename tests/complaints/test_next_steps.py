"""Honest next steps (issue 12): finished cases take nothing new and say why;
reject and refer carry a reason for the complainant and where else to turn;
an overdue case says the office is late; every status change reaches the
complainant; a way back (status check links) and a way out (Exit this page,
Close this case on this device)."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, ComplaintMessage
from core.models import Notification

from .conftest import STATES, api, submit
from .intake import file_by_form, step_url, url

FINISHED = ["closed", "rejected", "referred", "withdrawn"]


@pytest.mark.parametrize("state", STATES)
def test_finished_cases_refuse_messages_and_files_with_409_case_finished(
    people, make_complaint, client_for, state
):
    complaint = make_complaint(state)
    client = client_for(people.owner)
    message = api(client, "post", f"complaints/{complaint.reference}/messages", {"body": "hello"})
    upload = client.post(
        f"/api/v1/complaints/{complaint.reference}/attachments",
        {"file": SimpleUploadedFile("proof.txt", b"the letter")},
    )
    if state in FINISHED:
        assert (message.status_code, message.json()["code"]) == (409, "case_finished")
        assert (upload.status_code, upload.json()["code"]) == (409, "case_finished")
        assert not ComplaintMessage.objects.filter(complaint=complaint).exists()
    else:
        assert message.status_code == 201 and upload.status_code == 201
    page = client.get(url("complaints:detail", reference=complaint.reference)).content.decode()
    assert ('name="body"' in page) is (state not in FINISHED)
    assert ('enctype="multipart/form-data"' in page) is (state not in FINISHED)
    assert ("This complaint is finished" in page) is (state in FINISHED)


@pytest.mark.parametrize("transition", ["reject", "refer"])
def test_reject_and_refer_need_a_reason_for_the_complainant(
    people, make_complaint, client_for, transition
):
    complaint = make_complaint()
    path = f"complaints/{complaint.reference}/transitions"
    body = {"transition": transition, "note": "Internal: out of scope"}
    refused = api(client_for(people.supervisor), "post", path, body)
    assert refused.status_code == 400 and refused.json()["field"] == "public_reason"
    assert Complaint.objects.get(pk=complaint.pk).status == "submitted"
    done = api(
        client_for(people.supervisor),
        "post",
        path,
        {**body, "public_reason": "REASON-77 This is for the labour office."},
    )
    assert done.status_code == 200
    owner = client_for(people.owner)
    for lang in ("en", "ko"):
        page = owner.get(url("complaints:detail", lang, reference=complaint.reference))
        html = page.content.decode()
        assert "REASON-77" in html
        assert "Internal: out of scope" not in html
        assert "1331" in html and "132" in html  # the built-in "where else to turn"
    events = api(owner, "get", f"complaints/{complaint.reference}/events").json()
    assert "Internal: out of scope" not in str(events) and "REASON-77" in str(events)


def test_where_else_to_turn_comes_from_the_office_settings_in_each_language(
    people, make_complaint, client_for, site_pages
):
    from wagtail.models import Site

    from cms.models import OfficeSettings

    settings_row = OfficeSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.elsewhere_ko = "광주 법률 상담소 062-000-0000"
    settings_row.elsewhere_en = "Gwangju legal clinic 062-000-0000\nAnother line"
    settings_row.save()
    complaint = make_complaint("rejected")
    owner = client_for(people.owner)
    en = owner.get(url("complaints:detail", "en", reference=complaint.reference)).content.decode()
    ko = owner.get(url("complaints:detail", "ko", reference=complaint.reference)).content.decode()
    assert "<li>Gwangju legal clinic 062-000-0000</li>" in en and "<li>Another line</li>" in en
    assert "광주 법률 상담소" in ko and "1331" not in ko


@pytest.mark.parametrize(
    ("state", "field"), [("submitted", "triage_due"), ("investigating", "investigation_due")]
)
def test_an_overdue_case_says_the_office_is_late_and_what_to_do(
    people, make_complaint, client_for, state, field
):
    complaint = make_complaint(state)
    Complaint.objects.filter(pk=complaint.pk).update(
        **{field: timezone.now() - datetime.timedelta(days=2)}
    )
    html = (
        client_for(people.owner)
        .get(url("complaints:detail", reference=complaint.reference))
        .content.decode()
    )
    assert "is late" in html and "send a message" in html
    ko = (
        client_for(people.owner)
        .get(url("complaints:detail", "ko", reference=complaint.reference))
        .content.decode()
    )
    assert "늦어지고" in ko


def test_every_status_change_reaches_the_complainant(
    people, make_complaint, django_capture_on_commit_callbacks
):
    complaint = make_complaint()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_transition(
            complaint=complaint, actor=people.supervisor, transition="accept"
        )
    assert Notification.objects.filter(user=people.owner, kind="complaint.status").count() == 1
    # A contact address gets an e-mail with no case content.
    named = submit(None, contact_name="Kim Mina", contact_email="mina@example.org").complaint
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_transition(
            complaint=named,
            actor=people.supervisor,
            transition="reject",
            note="internal",
            public_reason="SECRET-REASON",
        )
    [sent] = [m for m in mail.outbox if m.to == ["mina@example.org"]]
    assert "SECRET-REASON" not in sent.body and named.reference not in sent.body
    assert "Kim Mina" not in sent.body


def test_the_complainant_is_not_told_of_their_own_withdrawal(people, make_complaint):
    complaint = make_complaint()
    services.complaint_transition(complaint=complaint, actor=people.owner, transition="withdraw")
    assert not Notification.objects.filter(user=people.owner, kind="complaint.status").exists()


# --- a way back and a way out ---------------------------------------------------------


def test_status_check_is_linked_from_the_form_the_receipt_page_and_the_home_page(
    client, site_pages
):
    status = url("complaints:status")
    assert status in client.get(url("complaints:new")).content.decode()
    home = client.get("/en/")
    assert status in home.content.decode()
    response, _data = file_by_form(client, identity="anonymous")
    assert status in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "name", ["complaints:new", "complaints:status", "complaints:submitted", "complaints:mine"]
)
def test_every_complaint_page_has_exit_this_page_and_no_store(people, client_for, name):
    response = client_for(people.owner).get(url(name))
    assert url("complaints:exit") in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_exit_this_page_ends_the_receipt_session_and_leaves(db, settings):
    submission = submit(anonymous=True)
    client = Client()
    api(client, "post", "complaints/status", {"receipt": submission.receipt})
    detail = url("complaints:detail", reference=submission.complaint.reference)
    assert client.get(detail).status_code == 200
    response = client.get(url("complaints:exit"))
    assert response.status_code == 302 and response["Location"] == "https://www.naver.com/"
    assert response["Cache-Control"] == "no-store"
    assert client.get(detail).status_code == 404
    # The receipt just shown goes too.
    filed, _data = file_by_form(client, identity="anonymous")
    client.get(url("complaints:exit"))
    assert "submission" not in client.get(url("complaints:submitted")).context


def test_close_this_case_on_this_device(db, people, make_complaint, client_for):
    submission = submit(anonymous=True)
    client = Client()
    api(client, "post", "complaints/status", {"receipt": submission.receipt})
    detail = url("complaints:detail", reference=submission.complaint.reference)
    page = client.get(detail).content.decode()
    assert "Close this case on this device" in page
    closed = client.post(url("complaints:close_here", reference=submission.complaint.reference))
    assert closed.status_code == 302
    assert client.get(detail).status_code == 404
    # An account is signed out.
    complaint = make_complaint()
    owner = client_for(people.owner)
    owner.post(url("complaints:close_here", reference=complaint.reference))
    assert owner.get(url("complaints:detail", reference=complaint.reference)).status_code == 404


def test_the_narrative_is_not_autocompleted(client, db):
    client.post(url("complaints:new"), {"identity": "anonymous"})
    client.post(step_url("contact"), {})
    html = client.get(step_url("story")).content.decode()
    [textarea] = re.findall(r'<textarea[^>]*name="description"[^>]*>', html)
    assert 'autocomplete="off"' in textarea
