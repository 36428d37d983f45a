"""A casework day in the browser (issue 16): the supervisor triages a new case
from the inbox and assigns it, takes a phone complaint, and the caseworker
sees a deadline reminder arrive live on /ws/notifications/. axe-core finds no
violation on any page. Desktop in English, phone in Korean (both sizes, both
languages, in two runs).

The pages and the socket are served by uvicorn (ASGI) in a thread of this
process: Django's live server speaks no WebSocket. The reminder run is started
on the server's event loop, so its push reaches the socket through the same
channel layer (in memory, or Redis when REDIS_URL is set)."""

import asyncio
import datetime
import socket
import threading
import time

import pytest
from asgiref.sync import sync_to_async

from tests.browser.steps import click_through

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.fixture
def asgi_server(transactional_db):
    import uvicorn

    from config.asgi import application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(server.serve(),), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", loop
    server.should_exit = True
    thread.join(10)


def _login(page, base, user, lang):
    from tests.factories import PASSWORD

    page.goto(f"{base}/{lang}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    click_through(page, "main button[type=submit]")
    _verify_second_factor(page, base, user, lang)


def _verify_second_factor(page, base, user, lang):
    """Staff then enter a code from their (test) authenticator, as a person would
    (accounts.second_factor); a fresh device, since a code is accepted once."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.second_factor import needs_second_factor

    if not needs_second_factor(user):
        return
    device = TOTPDevice.objects.create(user=user, name="browser test", confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{base}/{lang}/accounts/second-factor/verify/")
    page.fill("input[name=token]", f"{code:06d}")
    click_through(page, "main button[type=submit]")


@pytest.mark.parametrize(("size", "lang"), [("desktop", "en"), ("phone", "ko")])
def test_a_casework_day(asgi_server, site_pages, browser, axe_violations, size, lang):
    from complaints import services
    from complaints.deadlines import casework_deadlines_run
    from complaints.models import Complaint, Deadline
    from tests import factories

    base, loop = asgi_server
    supervisor = factories.supervisor(preferred_language=lang)
    caseworker = factories.caseworker(preferred_language=lang, display_name="Han Caseworker")
    resident = factories.resident()
    new = services.complaint_submit(
        grounds=["disability"],
        description="The bank would not open an account for me.",
        anonymous=False,
        user=resident,
        field_of_life="goods_services",
    ).complaint

    boss = browser.new_context(viewport=SIZES[size])
    page = boss.new_page()
    _login(page, base, supervisor, lang)

    # Triage: the supervisor lands on the new, unassigned case.
    page.goto(f"{base}/{lang}/casework/")
    assert page.url.endswith(f"/{lang}/casework/inbox/")
    assert page.locator(f"a:text('{new.reference}')").count() == 1
    assert axe_violations(page) == []
    click_through(page, f"a:text('{new.reference}')")
    assert page.locator(".action-unavailable").count() >= 1  # accept needs a caseworker
    assert axe_violations(page) == []
    screenshot(page, f"casework/case-{size}-{lang}.png")
    page.select_option("#assign-caseworker", caseworker.username)
    click_through(page, "form[action$='/assign/'] button[type=submit]")
    assert Complaint.objects.get(pk=new.pk).assignee_permissions().filter(user=caseworker).exists()
    click_through(page, "form:has(input[value=accept]) button[type=submit]")
    assert Complaint.objects.get(pk=new.pk).status == "investigating"

    # A phone complaint, with its printable receipt in both languages.
    page.goto(f"{base}/{lang}/casework/intake/")
    assert axe_violations(page) == []
    page.check("#id_channel_0")
    page.fill("#id_name", "Song Yuna")
    page.fill("#id_contact_phone", "010-2222-3333")
    page.check("#id_consent")
    page.fill("#id_description", "The taxi driver refused my guide dog.")
    page.check("#id_grounds_2")
    click_through(page, "main button[type=submit]")
    assert page.locator("section[lang=ko] .receipt").count() == 1
    assert page.locator("section[lang=en] .receipt").count() == 1
    assert axe_violations(page) == []
    phoned = Complaint.objects.get(taken_by=supervisor)
    assert phoned.channel == "phone" and phoned.contact_name == "Song Yuna"
    screenshot(page, f"casework/receipt-{size}-{lang}.png")
    # The export form and its log.
    page.goto(f"{base}/{lang}/casework/export/?view=all")
    assert axe_violations(page) == []
    page.goto(f"{base}/{lang}/casework/exports/")
    assert axe_violations(page) == []
    boss.close()

    # The caseworker's socket gets the reminder live.
    worker = browser.new_context(viewport=SIZES[size])
    wpage = worker.new_page()
    _login(wpage, base, caseworker, lang)
    wpage.goto(f"{base}/{lang}/casework/conflicts/")
    assert axe_violations(wpage) == []
    wpage.goto(f"{base}/{lang}/notifications/")
    wpage.evaluate(
        """() => new Promise((resolve) => {
            window.received = [];
            const ws = new WebSocket(`ws://${location.host}/ws/notifications/`);
            ws.onmessage = (e) => window.received.push(JSON.parse(e.data));
            ws.onopen = () => resolve();
        })"""
    )
    Deadline.objects.filter(complaint=new, ended_at__isnull=True).update(
        due_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    )
    run = asyncio.run_coroutine_threadsafe(
        sync_to_async(casework_deadlines_run, thread_sensitive=False)(), loop
    ).result(30)
    assert (new.reference, caseworker.username) in run.reminded
    wpage.wait_for_function(
        "() => window.received.some((m) => m.type === 'complaint.deadline_soon')", timeout=10000
    )
    event = wpage.evaluate(
        "() => window.received.find((m) => m.type === 'complaint.deadline_soon')"
    )
    assert event["payload"]["reference"] == new.reference
    # The page's own script shows it too.
    wpage.wait_for_selector(f"#notification-list li:has-text('{new.reference}')", timeout=10000)
    assert axe_violations(wpage) == []
    screenshot(wpage, f"casework/reminder-{size}-{lang}.png")
    worker.close()
