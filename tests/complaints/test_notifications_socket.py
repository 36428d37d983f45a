"""Staff hear of an assignment on /ws/notifications/ (and only they do), with
the reference and never the case text."""

import pytest
from asgiref.sync import sync_to_async

from accounts.second_factor import SESSION_KEY
from complaints import services
from core.consumers import NotificationConsumer
from tests import factories
from tests.sockets import WebsocketCommunicator, run_in_own_loop

from .conftest import submit


@pytest.mark.django_db(transaction=True)
def test_assignment_is_pushed_to_the_caseworker_only():
    supervisor = factories.supervisor()
    caseworker = factories.caseworker()
    bystander = factories.caseworker()
    complaint = submit(factories.resident()).complaint
    received = {}

    async def scenario():
        sockets = {}
        for name, user in (("caseworker", caseworker), ("bystander", bystander)):
            communicator = WebsocketCommunicator(
                NotificationConsumer.as_asgi(), "/ws/notifications/"
            )
            communicator.scope["user"] = user
            # Staff: a session that verified the second factor (accounts.second_factor).
            communicator.scope["session"] = {SESSION_KEY: str(user.pk)}
            connected, _ = await communicator.connect()
            assert connected
            sockets[name] = communicator
        await sync_to_async(services.complaint_assign)(
            complaint=complaint, actor=supervisor, caseworker=caseworker
        )
        received["event"] = await sockets["caseworker"].receive_json_from(timeout=5)
        received["bystander_silent"] = await sockets["bystander"].receive_nothing(timeout=0.5)
        for communicator in sockets.values():
            await communicator.disconnect()

    run_in_own_loop(scenario)
    event = received["event"]
    assert event["type"] == "complaint.assigned"
    assert event["payload"] == {"reference": complaint.reference}
    assert "refused a flat" not in str(event)
    assert received["bystander_silent"]
