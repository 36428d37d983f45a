"""Issue 17: one strict CSP and a Permissions-Policy on every response, the API
docs included (their assets served by the app), and the evidence download
keeps its own `default-src 'none'; sandbox`."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.headers import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY
from tests import factories
from tests.complaints.conftest import submit

pytestmark = pytest.mark.django_db


def assert_site_headers(response):
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_the_policy_is_strict():
    policy = CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "http" not in policy and "*" not in policy
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert "camera=()" in PERMISSIONS_POLICY and "geolocation=()" in PERMISSIONS_POLICY


@pytest.mark.parametrize(
    "path",
    [
        "/ko/",  # a page (Wagtail; no pages here, so its 404)
        "/en/accounts/login/",
        "/api/v1/complaints/grounds",
        "/api/v1/openapi.json",
        "/api/v1/docs",
        "/api/v1/nope",  # an API 404
        "/",  # a redirect to the language
        "/ko/complaints/status/",
        "/healthz",
    ],
)
def test_every_response_has_the_headers(path):
    assert_site_headers(Client().get(path))


def test_a_static_file_has_the_headers():
    response = Client().get("/static/ninja/swagger-ui-bundle.js")
    assert response.status_code == 200
    assert_site_headers(response)


def test_the_api_docs_load_nothing_from_another_site():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))", html)
    for source in sources:
        assert Client().get(source).status_code == 200, source


def test_the_evidence_download_keeps_its_own_sandbox_policy():
    owner = factories.resident()
    complaint = submit(owner).complaint
    client = Client()
    client.force_login(owner)
    upload = SimpleUploadedFile("note.txt", b"what happened", "text/plain")
    url = client.post(
        f"/api/v1/complaints/{complaint.reference}/attachments", {"file": upload}
    ).json()["url"]
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["Cache-Control"] == "no-store"


def test_no_template_needs_what_the_policy_forbids():
    """No inline script, style block, style attribute or event handler in our
    templates: the CSP would silently drop them."""
    from pathlib import Path

    from django.conf import settings

    forbidden = re.compile(
        r"<script(?![^>]*\b(?:src=|type=\"application/(?:ld\+)?json\"))[^>]*>"
        r"|<style\b|\sstyle=\"|\son[a-z]+=\"",
        re.IGNORECASE,
    )
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for root in roots
        for path in root.rglob("*.html")
        if forbidden.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
