"""The browser harness: Playwright for Python driving Debian's Chromium (no
browser download), and an axe-core accessibility check (WCAG 2.1 A and AA).

Run with `pytest -m browser`; `.ci/run` installs Chromium and runs them.
Apps add their pages to the sweep in tests/browser/test_axe_<app>.py.
"""

import os
import shutil

import pytest

from tests.browser.steps import click_through

# The consultation fixtures, for the live-update tests.
from tests.consultations.conftest import consultation, index_page, make_consultation  # noqa: F401

# The event fixtures, for the registration and minutes tests.
from tests.events.conftest import event_index, make_event  # noqa: F401

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Where full-page screenshots of the walks go, for a person to look at. Nothing
# checks them and a full-page PNG costs more than the step it shows, so they
# are taken only when SHOTS_DIR is set (`SHOTS_DIR=/tmp/shots make test`).
SHOTS_DIR = os.environ.get("SHOTS_DIR", "")


def screenshot(page, name: str) -> None:
    """A full-page screenshot at SHOTS_DIR/name, when SHOTS_DIR is set."""
    if SHOTS_DIR:
        page.screenshot(path=os.path.join(SHOTS_DIR, name), full_page=True)


# Playwright's sync API runs an event loop in this thread; the test's own ORM
# calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason="Chromium not installed: apt-get install chromium (CI does)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(live_server):
    """Sign `page` in through the real login form."""
    from tests.factories import PASSWORD

    def do_login(page, user, language="en"):
        page.goto(f"{live_server.url}/{language}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        click_through(page, "main button[type=submit]")
        verify_second_factor(page, user, language)

    def verify_second_factor(page, user, language):
        """Staff then enter a code from their (test) authenticator on the verify
        page, as a person would (accounts.second_factor). A fresh device each
        time: a TOTP code is accepted once per device and time step."""
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.second_factor import needs_second_factor

        if not needs_second_factor(user):
            return
        device = TOTPDevice.objects.create(user=user, name="browser test", confirmed=True)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.goto(f"{live_server.url}/{language}/accounts/second-factor/verify/")
        page.fill("input[name=token]", f"{code:06d}")
        click_through(page, "main button[type=submit]")

    return do_login


@pytest.fixture
def axe_violations():
    """Run axe-core on the current page; return the violations (empty is good)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> list[dict]:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        return [
            {
                "id": v["id"],
                "impact": v.get("impact"),
                "help": v["help"],
                "targets": [n["target"] for n in v["nodes"]][:5],
            }
            for v in results.response["violations"]
        ]

    return check


class AsgiLiveServer:
    """The project's ASGI application (HTTP and WebSocket, as `make run` serves
    it) under uvicorn in a thread of this process, so the test and the server
    share the database and the in-memory channel layer. `stop()` drops every
    connection from the server's side; `start()` serves again on the same port.
    """

    def __init__(self):
        import socket

        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = None
        self._thread = None

    def _application(self):
        from django.db import connections

        from config.asgi import application

        # An in-memory SQLite database lives in one connection: hand the
        # test's own to the server, as Django's LiveServerThread does.
        shared = {
            c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()
        }

        async def app(scope, receive, send):
            for alias, connection in shared.items():
                connections[alias] = connection
            await application(scope, receive, send)

        return app

    def start(self) -> None:
        import socket
        import threading
        import time

        import uvicorn

        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        config = uvicorn.Config(
            self._application(), lifespan="off", log_level="warning", ws_ping_interval=None
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        import gc

        self._server.should_exit = True
        self._thread.join(timeout=10)
        assert not self._thread.is_alive(), "uvicorn did not stop"
        # Requests' database connections live in their (now finished) contexts;
        # collect them so that none keeps the test database open.
        gc.collect()


@pytest.fixture
def asgi_live_server(transactional_db):
    server = AsgiLiveServer()
    server.start()
    yield server
    if server._thread.is_alive():
        server.stop()
