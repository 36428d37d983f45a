"""An open case page updates live (issue 20): /ws/cases/{reference}/ lets in
only who may see the case (the complainant's account or receipt session, the
office on the case), refuses everyone else and unknown references alike with
4404, tells of a new message or status change without any case content, and
stops at once for someone taken off the case."""

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.test import Client

from complaints import services
from config.asgi import application
from core.websocket import CLOSE_NOT_FOUND
from tests.sockets import WebsocketCommunicator, count_sync_hops, run_in_own_loop

from .conftest import api, submit
from .test_access import OUTSIDERS, _outsider

pytestmark = [pytest.mark.django_db(transaction=True)]


def socket_for(client, reference: str) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME) if client else None
    if cookie is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie.value}".encode()))
    return WebsocketCommunicator(application, f"/ws/cases/{reference}/", headers=headers)


def handshake(client, reference: str) -> tuple[bool, object]:
    result: dict = {}

    async def scenario():
        communicator = socket_for(client, reference)
        result["connected"], result["code"] = await communicator.connect()
        if result["connected"]:
            await communicator.disconnect()

    run_in_own_loop(scenario)
    return result["connected"], result["code"]


def test_only_who_may_see_the_case_joins_its_stream(client_for, people, make_complaint):
    complaint = make_complaint("investigating")
    for user in (people.owner, people.caseworker, people.supervisor):
        assert handshake(client_for(user), complaint.reference)[0], user
    for role in OUTSIDERS:  # the access sweep's outsiders, the superuser among them
        client = client_for(_outsider(people, role))
        assert handshake(client, complaint.reference) == (False, CLOSE_NOT_FOUND), role
    # An unknown reference is refused exactly the same way.
    unknown = "HR-1999-999999"
    assert handshake(client_for(people.owner), unknown) == (False, CLOSE_NOT_FOUND)


def test_a_receipt_session_joins_its_case_and_only_it(db):
    mine = submit(None, anonymous=True)
    other = submit(None, anonymous=True)
    client = Client()
    assert api(client, "post", "complaints/status", {"receipt": mine.receipt}).status_code == 200
    assert handshake(client, mine.complaint.reference)[0]
    assert handshake(client, other.complaint.reference) == (False, CLOSE_NOT_FOUND)
    assert handshake(Client(), mine.complaint.reference) == (False, CLOSE_NOT_FOUND)


def test_messages_and_moves_are_told_without_case_content(client_for, people, make_complaint):
    complaint = make_complaint("investigating")
    received: dict = {}
    owner_client, office_client = client_for(people.owner), client_for(people.caseworker)

    async def scenario():
        owner = socket_for(owner_client, complaint.reference)
        office = socket_for(office_client, complaint.reference)
        assert (await owner.connect())[0] and (await office.connect())[0]
        await sync_to_async(services.complaint_message_post)(
            complaint=complaint, author=people.caseworker, body="Please call us, secret details"
        )
        received["owner_message"] = await owner.receive_json_from(timeout=5)
        received["office_message"] = await office.receive_json_from(timeout=5)
        await sync_to_async(services.complaint_transition)(
            complaint=complaint, actor=people.caseworker, transition="start_mediation"
        )
        received["owner_status"] = await owner.receive_json_from(timeout=5)
        received["office_status"] = await office.receive_json_from(timeout=5)
        await owner.disconnect()
        await office.disconnect()

    run_in_own_loop(scenario)
    assert received["owner_message"] == {"type": "case.updated", "what": "message"}
    assert received["office_message"] == {"type": "case.updated", "what": "message"}
    assert received["owner_status"] == {"type": "case.updated", "what": "status"}
    assert received["office_status"] == {"type": "case.updated", "what": "status"}


def test_a_caseworker_taken_off_the_case_hears_nothing_more(client_for, people, make_complaint):
    complaint = make_complaint("investigating")
    received: dict = {}
    office_client = client_for(people.caseworker)

    async def scenario():
        office = socket_for(office_client, complaint.reference)
        assert (await office.connect())[0]
        await sync_to_async(services.complaint_unassign)(
            complaint=complaint, actor=people.supervisor, caseworker=people.caseworker
        )
        await sync_to_async(services.complaint_message_post)(
            complaint=complaint, author=people.owner, body="News only the office on it may see"
        )
        received["output"] = await office.receive_output(timeout=5)

    run_in_own_loop(scenario)
    # Closed, with nothing sent before it.
    assert received["output"] == {"type": "websocket.close", "code": CLOSE_NOT_FOUND}


def test_case_pages_mark_their_live_parts(client_for, people, make_complaint):
    complaint = make_complaint("investigating")
    for user, path in (
        (people.owner, f"/ko/complaints/{complaint.reference}/"),
        (people.caseworker, f"/ko/casework/{complaint.reference}/"),
    ):
        html = client_for(user).get(path).content.decode()
        assert f'data-socket="/ws/cases/{complaint.reference}/"' in html
        for part in ("status", "messages", "timeline"):
            assert f'data-case-live="{part}"' in html
        assert "complaints/case-live.js" in html


def test_a_case_event_keeps_its_hop_to_the_sync_thread(
    client_for, people, make_complaint, monkeypatch
):
    """Issue 21: events that read nothing skip channels' hop to the sync thread
    (core.consumers.LiveGroupMixin.db_free_events); a case event reads the
    database (may the viewer still see the case?), so it keeps the hop that
    closes stale connections first."""
    from channels.layers import get_channel_layer

    from complaints.live import case_group

    complaint = make_complaint("investigating")
    client = client_for(people.owner)
    hops = count_sync_hops(monkeypatch)
    received: dict = {}

    async def scenario():
        socket = socket_for(client, complaint.reference)
        assert (await socket.connect())[0]
        at_handshake = len(hops)
        await get_channel_layer().group_send(
            case_group(complaint.pk), {"type": "case.event", "what": "message"}
        )
        received["event"] = await socket.receive_json_from(timeout=5)
        received["hops"] = len(hops) - at_handshake
        await socket.disconnect()

    run_in_own_loop(scenario)
    assert received["event"] == {"type": "case.updated", "what": "message"}
    assert received["hops"] >= 1
