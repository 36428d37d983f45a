"""Staff hear of an assignment on /ws/notifications/ (and only they do), with
the reference and never the case text."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from complaints import services
from core.consumers import NotificationConsumer
from tests import factories

from .conftest import submit


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_assignment_is_pushed_to_the_caseworker_only():
    supervisor = await sync_to_async(factories.supervisor)()
    caseworker = await sync_to_async(factories.caseworker)()
    bystander = await sync_to_async(factories.caseworker)()
    owner = await sync_to_async(factories.resident)()
    complaint = (await sync_to_async(submit)(owner)).complaint

    sockets = {}
    for name, user in (("caseworker", caseworker), ("bystander", bystander)):
        communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
        communicator.scope["user"] = user
        connected, _ = await communicator.connect()
        assert connected
        sockets[name] = communicator

    await sync_to_async(services.complaint_assign)(
        complaint=complaint, actor=supervisor, caseworker=caseworker
    )
    event = await sockets["caseworker"].receive_json_from(timeout=5)
    assert event["type"] == "complaint.assigned"
    assert event["payload"] == {"reference": complaint.reference}
    assert "refused a flat" not in str(event)
    assert await sockets["bystander"].receive_nothing(timeout=0.5)
    for communicator in sockets.values():
        await communicator.disconnect()
