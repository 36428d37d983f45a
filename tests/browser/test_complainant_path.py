"""The complainant's whole path, as issue 12 asks: keyboard only, JavaScript
off, a 390 x 844 phone, both languages. File a named complaint without an
account and an anonymous one, come back with the receipt from the link on the
home page, read the office's reply, and leave with "Exit this page"; axe-core
finds nothing on any page. With SHOTS_DIR set, screenshots of every step
go to SHOTS_DIR/complainant/."""

import pytest

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


PHONE = {"width": 390, "height": 844}


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (it must
    be reachable by keyboard); fail if it never comes."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def choose_radio(page, name: str, value: str) -> None:
    tab_to(page, f"input[type=radio][name={name}]")
    for _ in range(20):
        if page.evaluate("() => document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.evaluate(
        "(s) => document.querySelector(s).checked", f"input[name={name}][value={value}]"
    )


def submit(page) -> None:
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


class Walk:
    def __init__(self, page, axe_violations, label):
        self.page, self.axe, self.label, self.n = page, axe_violations, label, 0

    def check(self, what: str) -> None:
        self.n += 1
        screenshot(self.page, f"complainant/{self.label}-{self.n:02d}-{what}.png")
        if self.axe is not None:
            assert self.axe(self.page) == [], (what, self.page.url)


def phone_page(browser, *, scripts: str):
    """A 390 x 844 page. "blocked": the browser runs scripts (so axe-core can be
    injected) but every script of the site is refused, so the pages work as
    they do without JavaScript; "off": JavaScript disabled outright (axe-core
    cannot run there, so that walk checks the path only)."""
    context = browser.new_context(java_script_enabled=scripts != "off", viewport=PHONE)
    page = context.new_page()
    if scripts == "blocked":
        page.route("**/*.js", lambda route: route.abort())
    return context, page


@pytest.mark.parametrize(
    ("identity", "lang", "scripts"),
    [
        ("named", "ko", "blocked"),
        ("named", "en", "blocked"),
        ("anonymous", "ko", "blocked"),
        ("anonymous", "en", "blocked"),
        ("anonymous", "ko", "off"),
    ],
)
def test_file_come_back_read_the_reply_and_exit(
    live_server, site_pages, browser, axe_violations, settings, identity, lang, scripts
):
    context, page = phone_page(browser, scripts=scripts)
    try:
        _walk(
            live_server,
            page,
            axe_violations if scripts != "off" else None,
            settings,
            identity=identity,
            lang=lang,
            label=f"{identity}-{lang}-{scripts}",
        )
    finally:
        context.close()


def _walk(live_server, page, axe_violations, settings, *, identity, lang, label):
    from complaints import services
    from complaints.models import Complaint
    from tests import factories

    settings.COMPLAINTS_EXIT_URL = f"{live_server.url}/healthz"
    walk = Walk(page, axe_violations, label)

    # From the home page, by keyboard, into the form.
    page.goto(f"{live_server.url}/{lang}/")
    walk.check("home")
    tab_to(page, "main a[href$='/complaints/new/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    walk.check("identity")
    submit(page)  # nothing chosen: an error that says what to do
    assert page.title().startswith("오류:" if lang == "ko" else "Error:")
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    walk.check("identity-error")
    choose_radio(page, "identity", identity)
    submit(page)

    # How to reach me (a name and an e-mail when named).
    if identity == "named":
        tab_to(page, "#id_contact_name")
        page.keyboard.type("Kim Mina")
        tab_to(page, "#id_contact_email")
        page.keyboard.type("mina@example.org")
    walk.check("contact")
    submit(page)

    # What happened.
    tab_to(page, "#id_description")
    page.keyboard.type("The bus driver would not let me on with my wheelchair.")
    walk.check("story")
    submit(page)
    tab_to(page, "#id_grounds_2")
    page.keyboard.press("Space")
    walk.check("grounds")
    submit(page)
    choose_radio(page, "field_of_life", "goods_services")
    walk.check("place")
    submit(page)

    # Check the answers, agree, send.
    assert "The bus driver would not let me on" in page.content()
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    walk.check("check")
    submit(page)
    assert page.url.endswith(f"/{lang}/complaints/new/done/")
    receipt = "-".join(page.locator(".receipt-group").all_inner_texts())
    assert len(receipt) == 19
    walk.check("receipt")
    page.reload()  # the same receipt after a reload
    assert "-".join(page.locator(".receipt-group").all_inner_texts()) == receipt
    complaint = Complaint.objects.get()
    assert complaint.anonymous is (identity == "anonymous")
    assert bool(complaint.contact_name) is (identity == "named")

    # The office replies.
    supervisor, caseworker = factories.supervisor(), factories.caseworker()
    services.complaint_assign(complaint=complaint, actor=supervisor, caseworker=caseworker)
    services.complaint_message_post(
        complaint=complaint, author=caseworker, body="Thank you. Which bus line was it?"
    )

    # Leave, then come back from the home page with the receipt.
    tab_to(page, "a[data-exit-this-page]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/healthz")
    page.goto(f"{live_server.url}/{lang}/")
    tab_to(page, "main a[href$='/complaints/status/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    walk.check("status")
    tab_to(page, "#id_receipt")
    page.keyboard.type(receipt)
    submit(page)
    assert page.url.endswith(f"/{lang}/complaints/{complaint.reference}/")
    assert "Which bus line was it?" in page.content()
    walk.check("case")

    # And out again: the case no longer opens in this browser.
    tab_to(page, "a[data-exit-this-page]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/healthz")
    response = page.goto(f"{live_server.url}/{lang}/complaints/{complaint.reference}/")
    assert response.status == 404
