"""Issue 17: the Wagtail admin works under the site's strict CSP. A signed-in
administrator opens the dashboard, the explorer, the page editor, the image
library, the snippets (the indicator editor with its inline panels) and the
documents; the browser reports no Content-Security-Policy violation, and the
scripts our template overrides start did run: the date choosers and an inline
panel's "Add" button work (core/templates/wagtailadmin/, static/js/admin-csp.js)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(
    [e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(' | '));
});
"""


def _violations(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__csp")


def _markers(page):
    return page.evaluate(
        "Array.from(document.querySelectorAll('[data-admin-init]'))"
        ".map(e => e.dataset.adminStarted)"
    )


def test_the_wagtail_admin_runs_under_the_strict_policy(page, login, live_server, site_pages):
    from cms.models import HomePage
    from tests import factories

    editor = factories.superuser()
    page.context.add_init_script(COLLECT)
    login(page, editor)
    home = HomePage.objects.filter(locale__language_code="en").first()
    found = {}
    for name, path in [
        ("dashboard", "/cms-admin/"),
        ("explorer", f"/cms-admin/pages/{home.pk}/"),
        ("editor", f"/cms-admin/pages/{home.pk}/edit/"),
        ("images", "/cms-admin/images/"),
        ("image-add", "/cms-admin/images/multiple/add/"),
        ("snippets", "/cms-admin/snippets/"),
        ("documents", "/cms-admin/documents/"),
    ]:
        found[name] = _violations(page, f"{live_server.url}{path}")
        if name == "editor":
            # The schedule dialog's date-time choosers started (their markers say so).
            assert _markers(page) and all(m == "1" for m in _markers(page))
    found["indicator-add"] = _violations(
        page, f"{live_server.url}/cms-admin/snippets/accountability/indicator/add/"
    )
    assert found == {name: [] for name in found}
    assert _markers(page) and all(m == "1" for m in _markers(page))  # the snippet chooser too
    # The InlinePanel started: "Add" inserts a child form (with its own widgets).
    before = page.locator("[id^='inline_child_targets-']").count()
    page.click("#id_targets-ADD")
    page.wait_for_function(
        f"document.querySelectorAll(\"[id^='inline_child_targets-']\").length > {before}"
    )
    # The last page is a create view (no editing session to release at teardown).
    assert page.evaluate("window.__csp") == []
