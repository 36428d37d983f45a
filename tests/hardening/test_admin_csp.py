"""Issue 17: the Wagtail admin under the strict CSP, without a browser. Admin
responses get the site's policy plus inline <style> elements only (Draftail);
scripts stay 'self', no third party anywhere; the admin pages we render carry
no inline script (our template overrides and chooser markers replace them);
no Gravatar or release check reaches out. The browser side is
tests/browser/test_wagtail_admin_csp.py."""

import re

import pytest

from core.headers import ADMIN_CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY
from tests import factories

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I)


def _directives(policy: str) -> dict:
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


def test_the_admin_policy_relaxes_style_elements_only():
    site, admin = _directives(CONTENT_SECURITY_POLICY), _directives(ADMIN_CONTENT_SECURITY_POLICY)
    assert admin.pop("style-src-elem") == ["'self'", "'unsafe-inline'"]
    assert admin == site
    assert site["script-src"] == ["'self'"]
    assert "http" not in ADMIN_CONTENT_SECURITY_POLICY


@pytest.mark.django_db
def test_admin_pages_send_the_admin_policy_and_no_inline_script(client_for, site_pages):
    from cms.models import HomePage

    home = HomePage.objects.filter(locale__language_code="en").first()
    client = client_for(factories.superuser())
    for path in [
        f"/cms-admin/pages/{home.pk}/",
        f"/cms-admin/pages/{home.pk}/edit/",
        "/cms-admin/snippets/accountability/indicator/add/",
        "/cms-admin/images/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Security-Policy"] == ADMIN_CONTENT_SECURITY_POLICY, path
        html = response.content.decode()
        assert not INLINE_SCRIPT.findall(html), (path, INLINE_SCRIPT.findall(html)[:3])
        assert "gravatar.com" not in html, path
        assert "js/admin-csp.js" in html, path
    snippet = client.get("/cms-admin/snippets/accountability/indicator/add/").content.decode()
    assert 'data-admin-init="SnippetChooser"' in snippet
    assert 'data-admin-init="InlinePanel"' in snippet


@pytest.mark.django_db
def test_site_pages_keep_the_strict_policy(client, site_pages):
    response = client.get("/en/")
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_no_release_check_and_no_gravatar(settings):
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
