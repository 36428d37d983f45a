"""Several machines (issue 21): two uvicorn processes on one PostgreSQL and one
Redis. A comment posted through one reaches a socket held on the other, and a
hide through one retires the cached anonymous page on the other."""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(env: dict) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1"]
        + ["--port", str(port), "--lifespan", "off", "--no-access-log"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return proc, f"127.0.0.1:{port}"


def _wait_up(proc: subprocess.Popen, host: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, "uvicorn exited"
        try:
            if httpx.get(f"http://{host}/healthz", timeout=2).status_code in (200, 503):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("uvicorn did not answer in time")


@pytest.fixture
def two_servers():
    database = connection.settings_dict
    caches = django_settings.CACHES["default"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.consultations.two_servers_settings",
        DATABASE_URL=(
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        HRC_SHARED_SECRET_KEY=django_settings.SECRET_KEY,
        FIELD_ENCRYPTION_KEYS=",".join(django_settings.FIELD_ENCRYPTION_KEYS),
        HRC_SHARED_CACHE_PREFIX=caches["KEY_PREFIX"],
        HRC_SHARED_CHANNEL_PREFIX=django_settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"],
        PYTHONPATH=str(ROOT),
    )
    servers = [_start(env), _start(env)]
    try:
        for proc, host in servers:
            _wait_up(proc, host)
        yield [host for _, host in servers]
    finally:
        for proc, _ in servers:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        connection.close()


def _session_headers(client) -> dict:
    token = secrets.token_hex(16)  # an unmasked 32-character CSRF secret
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"
    return {"Cookie": cookie, "X-CSRFToken": token}


def test_a_comment_and_a_hide_reach_the_other_server(two_servers, make_consultation, client_for):
    from websockets.sync.client import connect

    one, other = two_servers
    page = make_consultation("open")
    resident, moderator = factories.resident(), factories.moderator()
    writer = _session_headers(client_for(resident))
    mod = _session_headers(client_for(moderator))
    with connect(f"ws://{other}/ws/consultations/{page.pk}/", origin=f"http://{other}") as ws:
        posted = httpx.post(
            f"http://{one}/api/v1/consultations/{page.pk}/comments",
            json={"body": "Ramps at every entrance, please."},
            headers=writer,
            timeout=30,
        )
        assert posted.status_code == 201, posted.text
        event = ws.recv(timeout=20)
    assert "comment.created" in event and "Ramps at every entrance" in event

    # The other server caches the anonymous page with the comment on it...
    page_url = f"http://{other}{page.url}"
    for _ in range(2):
        shown = httpx.get(page_url, timeout=30)
        assert shown.status_code == 200 and "Ramps at every entrance" in shown.text
    # ...and a hide through the first retires it there.
    hidden = httpx.post(
        f"http://{one}/api/v1/comments/{posted.json()['id']}/hide",
        json={"reason": "spam"},
        headers=mod,
        timeout=30,
    )
    assert hidden.status_code == 200, hidden.text
    assert "Ramps at every entrance" not in httpx.get(page_url, timeout=30).text
