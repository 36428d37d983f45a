"""Filling the intake form page by page in a browser (shared by the complaint browser tests)."""


def fill_intake(page, base_url, lang="en", *, identity="anonymous", send=True):
    """From the first page to "check your answers"; with `send`, send it and
    wait for the receipt page to load (its deferred script has run)."""
    page.goto(f"{base_url}/{lang}/complaints/new/")
    page.check("#id_identity_1" if identity == "anonymous" else "#id_identity_0")
    page.click("main form button[type=submit]")
    if identity == "named":
        page.fill("#id_contact_name", "Kim Mina")
        page.fill("#id_contact_email", "mina@example.org")
    page.click("main form button[type=submit]")
    page.fill("#id_description", "The bus driver would not let me on.")
    page.click("main form button[type=submit]")
    page.check("#id_grounds_2")
    page.click("main form button[type=submit]")
    page.check("#id_field_of_life_0")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/{lang}/complaints/new/check/")
    if send:
        page.check("#id_consent")
        with page.expect_navigation(wait_until="load"):
            page.click("main form button[type=submit]")
