"""Filling the intake form page by page in a browser (shared by the complaint browser tests)."""

from tests.browser.steps import click_through


def fill_intake(page, base_url, lang="en", *, identity="anonymous", send=True):
    """From the first page to "check your answers"; with `send`, send it and
    wait for the receipt page to load (its deferred script has run)."""
    page.goto(f"{base_url}/{lang}/complaints/new/")
    page.check("#id_identity_1" if identity == "anonymous" else "#id_identity_0")
    click_through(page)
    if identity == "named":
        page.fill("#id_contact_name", "Kim Mina")
        page.fill("#id_contact_email", "mina@example.org")
    click_through(page)
    page.fill("#id_description", "The bus driver would not let me on.")
    click_through(page)
    page.check("#id_grounds_2")
    click_through(page)
    page.check("#id_field_of_life_0")
    click_through(page)
    page.wait_for_url(f"**/{lang}/complaints/new/check/")
    if send:
        page.check("#id_consent")
        click_through(page)
