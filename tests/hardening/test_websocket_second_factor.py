"""Issue 17: the WebSocket streams apply the staff second-factor policy of the
pages (accounts.second_factor.second_factor_satisfied, one function). A staff
session that has not verified its second factor is refused at the handshake of
/ws/notifications/ (staff notifications name cases); once verified, or for a
resident, or with DEBUG on, it opens. Through the project's ASGI application
with the session cookie a browser would send."""

import pytest
from django.test import Client

from core.consumers import CLOSE_SECOND_FACTOR_REQUIRED
from tests import factories
from tests.sockets import WebsocketCommunicator, run_in_own_loop


def _signed_in(user, *, verified: bool) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.backends.RolesWithUserBackend")
    if verified:
        factories.verify_second_factor(client, user)
    return client


def _handshake(client: Client, path: str = "/ws/notifications/"):
    from config.asgi import application

    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()

    async def scenario():
        communicator = WebsocketCommunicator(
            application, path, headers=[(b"origin", b"http://testserver"), (b"cookie", cookie)]
        )
        connected, code = await communicator.connect(timeout=5)
        if connected:
            await communicator.disconnect()
        else:
            await communicator.wait()
        return connected, code

    return run_in_own_loop(scenario)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("make", [factories.caseworker, factories.supervisor, factories.moderator])
def test_staff_without_a_verified_second_factor_are_refused_at_the_handshake(make):
    connected, code = _handshake(_signed_in(make(), verified=False))
    assert not connected
    assert code == CLOSE_SECOND_FACTOR_REQUIRED


@pytest.mark.django_db(transaction=True)
def test_a_superuser_without_it_is_refused_too():
    connected, code = _handshake(_signed_in(factories.superuser(), verified=False))
    assert (connected, code) == (False, CLOSE_SECOND_FACTOR_REQUIRED)


@pytest.mark.django_db(transaction=True)
def test_staff_who_verified_it_in_this_session_connect():
    connected, _ = _handshake(_signed_in(factories.caseworker(), verified=True))
    assert connected


@pytest.mark.django_db(transaction=True)
def test_another_users_verification_does_not_count():
    caseworker = factories.caseworker()
    client = _signed_in(caseworker, verified=True)
    session = client.session
    session["second_factor_verified_user"] = str(caseworker.pk + 1000)
    session.save()
    assert _handshake(client)[0] is False


@pytest.mark.django_db(transaction=True)
def test_residents_need_no_second_factor():
    assert _handshake(_signed_in(factories.resident(), verified=False))[0]


@pytest.mark.django_db(transaction=True)
def test_with_debug_on_none_is_required(settings):
    settings.DEBUG = True
    assert _handshake(_signed_in(factories.caseworker(), verified=False))[0]
