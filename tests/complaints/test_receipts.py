"""One receipt, for good (CONTRACT.md section 3): a replay of POST complaints
with the same Idempotency-Key, one after another or in parallel, gets the same
status and body, receipt included; the HTML receipt page survives a reload and
a resubmitted form; the stored copy is encrypted and erased after 24 hours."""

import datetime
import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from complaints import services
from complaints.forms import STEPS
from complaints.models import Complaint, ComplaintEvent, IdempotencyKey

from .conftest import api
from .intake import GOOD_FORM, file_by_form, step_url, url
from .test_at_rest import raw_dump

ANONYMOUS = {
    "grounds": ["disability"],
    "description": "The bus driver would not let me on with my wheelchair.",
    "anonymous": True,
}


def opens_its_case(receipt: str, reference: str) -> bool:
    answer = api(Client(), "post", "complaints/status", {"receipt": receipt})
    return answer.status_code == 200 and answer.json()["reference"] == reference


def test_sequential_replays_get_the_same_status_and_body_receipt_included(db):
    client = Client()
    answers = [
        api(client, "post", "complaints", ANONYMOUS, HTTP_IDEMPOTENCY_KEY="phone-retry")
        for _ in range(3)
    ]
    assert {a.status_code for a in answers} == {201}
    bodies = [a.json() for a in answers]
    assert bodies[0] == bodies[1] == bodies[2]
    assert set(bodies[0]) == {"reference", "status", "receipt"}
    assert Complaint.objects.count() == 1 and ComplaintEvent.objects.count() == 1
    assert opens_its_case(bodies[0]["receipt"], bodies[0]["reference"])


def test_a_replay_repeats_the_first_status_even_after_the_case_moved(people):
    first = api(Client(), "post", "complaints", ANONYMOUS, HTTP_IDEMPOTENCY_KEY="k-moved")
    complaint = Complaint.objects.get()
    services.complaint_transition(
        complaint=complaint,
        actor=people.supervisor,
        transition="reject",
        note="Out of scope",
        public_reason="We cannot look into this.",
    )
    again = api(Client(), "post", "complaints", ANONYMOUS, HTTP_IDEMPOTENCY_KEY="k-moved")
    assert (again.status_code, again.json()) == (first.status_code, first.json())


def test_the_kept_copy_is_encrypted_and_erased_after_24_hours(db):
    body = api(Client(), "post", "complaints", ANONYMOUS, HTTP_IDEMPOTENCY_KEY="k-24h").json()
    receipt = body["receipt"]
    dump = raw_dump()
    assert receipt not in dump and receipt.replace("-", "") not in dump
    assert IdempotencyKey.objects.get().receipt == receipt  # decrypted by the field
    # Within the window the row stays; past it, the daily purge deletes it.
    assert services.idempotency_keys_expire(now=timezone.now() + datetime.timedelta(hours=23)) == 0
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    call_command("purge_complaints", stdout=StringIO())
    assert not IdempotencyKey.objects.exists()
    # The receipt itself still opens the case: only the copy for replays is gone.
    assert opens_its_case(receipt, body["reference"])


def test_a_key_older_than_the_window_no_longer_replays_and_is_erased_by_the_next_filing(db):
    api(Client(), "post", "complaints", ANONYMOUS, HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    later = api(Client(), "post", "complaints", ANONYMOUS, HTTP_IDEMPOTENCY_KEY="old")
    assert later.status_code == 201
    assert Complaint.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1  # the old row went with this filing


def _parallel(n, work):
    barrier = threading.Barrier(n)
    results = [None] * n

    def target(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work()
        except Exception as exc:  # pragma: no cover - shown by the assertion
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _twenty_parallel_replays(lock=None):
    def post():
        client = Client()
        if lock is None:
            response = api(client, "post", "complaints", ANONYMOUS, HTTP_IDEMPOTENCY_KEY="burst")
        else:
            with lock:
                response = api(
                    client, "post", "complaints", ANONYMOUS, HTTP_IDEMPOTENCY_KEY="burst"
                )
        return response.status_code, response.content

    results = _parallel(20, post)
    assert all(isinstance(r, tuple) for r in results), results
    assert {status for status, _body in results} == {201}, results
    bodies = {body for _status, body in results}
    assert len(bodies) == 1, bodies
    body = json.loads(bodies.pop())
    assert Complaint.objects.count() == 1
    assert ComplaintEvent.objects.filter(kind="submitted").count() == 1
    assert opens_its_case(body["receipt"], body["reference"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_replays_get_one_receipt_that_opens_the_case():
    _twenty_parallel_replays()


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_replays_on_sqlite(settings):
    """The same burst of threads on the test database (SQLite in memory, whose
    shared cache refuses a second writer at once instead of waiting): the
    requests start together and take turns through a lock, as they queue on
    the embedded server's one writer. The PostgreSQL variant races for real."""
    _twenty_parallel_replays(lock=threading.Lock())


# --- the HTML form -----------------------------------------------------------------


def test_the_form_redirects_to_a_receipt_page_that_a_reload_shows_again(client, db):
    response, _data = file_by_form(client, identity="anonymous")
    assert response.status_code == 302 and response["Location"] == url("complaints:submitted")
    first = client.get(response["Location"])
    receipt = first.context["submission"]["receipt"]
    assert receipt and first["Cache-Control"] == "no-store"
    reload = client.get(response["Location"])
    assert reload.context["submission"]["receipt"] == receipt
    assert receipt in reload.content.decode().replace('</span> – <span class="receipt-group">', "-")
    reference = Complaint.objects.get().reference
    assert opens_its_case(receipt, reference)


def test_a_resubmitted_form_shows_the_same_receipt_and_files_nothing_new(client, db):
    response, data = file_by_form(client, identity="anonymous")
    receipt = client.get(response["Location"]).context["submission"]["receipt"]
    # Back and send again (or a double click): the same receipt page, nothing new.
    again = client.post(step_url("check"), {"consent": "on"})
    assert again.status_code == 302 and again["Location"] == url("complaints:submitted")
    assert client.get(again["Location"]).context["submission"]["receipt"] == receipt
    # Back to a page of the form: what was typed is gone.
    assert client.get(step_url("story"))["Location"] == url("complaints:new")
    assert Complaint.objects.count() == 1
    assert opens_its_case(receipt, Complaint.objects.get().reference)


def test_a_double_click_on_send_files_one_complaint(client, db):
    """The second click arrives before the answer to the first: both carry the
    draft's submission key, so the second is a replay of the first."""
    for step, fields in STEPS[:-1]:
        client.post(step_url(step), {n: GOOD_FORM[n] for n in fields if n in GOOD_FORM})
    draft_before = client.session["complaints.draft"]
    first = client.post(step_url("check"), {"consent": "on"})
    receipt = client.get(first["Location"]).context["submission"]["receipt"]
    session = client.session
    session["complaints.draft"] = draft_before  # as if the first answer had not come yet
    session.save()
    second = client.post(step_url("check"), {"consent": "on"})
    assert client.get(second["Location"]).context["submission"]["receipt"] == receipt
    assert Complaint.objects.count() == 1


def test_the_receipt_is_kept_encrypted_in_the_session_and_only_for_a_short_time(
    client, db, settings
):
    from django.contrib.sessions.models import Session

    response, _data = file_by_form(client, identity="anonymous")
    receipt = client.get(response["Location"]).context["submission"]["receipt"]
    for session in Session.objects.all():
        decoded = json.dumps(session.get_decoded())
        assert receipt not in decoded and receipt.replace("-", "") not in decoded
    settings.COMPLAINTS_RECEIPT_SHOWN_SECONDS = 0
    gone = client.get(url("complaints:submitted"))
    assert gone.status_code == 200 and "submission" not in gone.context
    assert url("complaints:status") in gone.content.decode()


def test_confirming_the_receipt_was_saved_removes_it_from_the_session(client, db):
    response, _data = file_by_form(client, identity="anonymous")
    client.get(response["Location"])
    client.post(url("complaints:receipt_saved"), {"saved": "on"})
    assert "submission" not in client.get(url("complaints:submitted")).context
