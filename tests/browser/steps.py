"""Steps the browser tests share, each waiting for a condition, never a time."""


def click_through(page, target="main form button[type=submit]") -> None:
    """Click a button that sends a form (or a link), given by selector or
    locator, and return once the next page has loaded. Playwright's click
    returns when the navigation starts, so a check straight after a bare click
    can read the old page (it did, once, in CI)."""
    with page.expect_navigation(wait_until="load"):
        if isinstance(target, str):
            page.click(target)
        else:
            target.click()
