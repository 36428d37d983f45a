"""Issue 17: no request a client can send gets a 500 (CONTRACT.md section 3)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.complaints.conftest import submit

pytestmark = pytest.mark.django_db

JSON_ENDPOINTS = [
    ("post", "/api/v1/complaints"),
    ("post", "/api/v1/complaints/status"),
    ("post", "/api/v1/complaints/HR-2026-000001/transitions"),
    ("post", "/api/v1/complaints/HR-2026-000001/messages"),
    ("post", "/api/v1/consultations/1/comments"),
    ("post", "/api/v1/consultations/1/proposals"),
    ("post", "/api/v1/petitions/1/signatures"),
    ("post", "/api/v1/me/follows"),
]


def _multipart_json(client, path):
    return client.post(path, data={"description": "x", "anonymous": "true"})


@pytest.mark.parametrize(("method", "path"), JSON_ENDPOINTS)
@pytest.mark.parametrize("signed_in", [False, True])
def test_multipart_on_a_json_endpoint_is_4xx(client, method, path, signed_in):
    if signed_in:
        client.force_login(factories.resident())
    response = _multipart_json(client, path)
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["code"]


@pytest.mark.parametrize(
    "name", ["a" * 1200 + ".txt", "evidence." + "t" * 1200, "증거" * 600 + ".txt", "." * 1100]
)
def test_a_1000_character_attachment_filename_is_stored_under_a_short_name(client, name):
    owner = factories.resident()
    complaint = submit(owner).complaint
    client.force_login(owner)
    upload = SimpleUploadedFile(name, b"plain evidence", "text/plain")
    response = client.post(
        f"/api/v1/complaints/{complaint.reference}/attachments", {"file": upload}
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["name"]) <= 100


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary="])
def test_multipart_without_a_boundary_is_400(client, content_type):
    owner = factories.resident()
    complaint = submit(owner).complaint
    client.force_login(owner)
    for path in (
        f"/api/v1/complaints/{complaint.reference}/attachments",
        "/api/v1/petitions/1/signatures",
    ):
        response = client.post(path, b"--x\r\n", content_type=content_type)
        assert response.status_code == 400, (path, response.content)
        assert response.json()["code"] == "invalid"


def test_json_endpoints_refuse_a_form_body_with_415(client):
    response = client.post("/api/v1/complaints", {"anonymous": "true"})
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/consultations/9223372036854775808",
        "/api/v1/consultations/99999999999999999999999999/comments",
        "/api/v1/consultations/9223372036854775808/proposals",
        "/api/v1/proposals/9223372036854775808",
    ],
)
def test_ids_beyond_64_bits_are_400_naming_the_id(client, path):
    response = client.get(path)
    assert response.status_code == 400, response.content
    assert response.json()["field"].endswith("_id")


def test_post_with_an_id_beyond_64_bits_is_4xx(client):
    client.force_login(factories.resident())
    response = client.post(
        "/api/v1/petitions/9223372036854775808/signatures", "{}", content_type="application/json"
    )
    assert 400 <= response.status_code < 500


def test_huge_page_number_is_4xx_not_500(client):
    supervisor = factories.supervisor()
    client.force_login(supervisor)
    factories.verify_second_factor(client, supervisor)
    response = client.get("/api/v1/complaints?page=400000000000000000")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "page"


def test_deep_json_is_400(client):
    client.force_login(factories.resident())
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/petitions/1/signatures", body, content_type="application/json")
    assert response.status_code == 400
    response = client.post("/api/v1/complaints", body, content_type="application/json")
    assert response.status_code == 400


def test_lone_surrogate_in_grounds_is_400(client):
    body = '{"grounds": ["\\ud800"], "description": "x", "anonymous": true}'
    response = client.post("/api/v1/complaints", body, content_type="application/json")
    assert response.status_code == 400, response.content


def test_lone_surrogate_in_description_is_400(client):
    body = '{"grounds": ["age"], "description": "a\\udfffb", "anonymous": true}'
    response = client.post("/api/v1/complaints", body, content_type="application/json")
    assert response.status_code == 400, response.content


def _submit_body(**overrides):
    body = {"grounds": ["age"], "description": "I was refused.", "anonymous": True}
    body.update(overrides)
    return json.dumps(body)


def test_anonymous_as_a_string_is_not_a_boolean(client):
    response = client.post(
        "/api/v1/complaints", _submit_body(anonymous="true"), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "anonymous"


def test_incident_date_zero_is_invalid(client):
    response = client.post(
        "/api/v1/complaints", _submit_body(incident_date=0), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "incident_date"


def test_whitespace_description_is_empty(client):
    response = client.post(
        "/api/v1/complaints", _submit_body(description=" \n\t "), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "description"


def test_the_openapi_document_declares_the_error_answers(client):
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["components"]["schemas"]["Error"]["required"]) == {"detail", "code"}
    for operations in document["paths"].values():
        for operation in operations.values():
            for status in ("400", "401", "403", "404", "409", "415", "429"):
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}
    page = document["paths"]["/api/v1/complaints"]["get"]["parameters"]
    assert {p["name"]: p["schema"].get("maximum") for p in page}["page"] == 1_000_000


@pytest.mark.parametrize("path", ["/ko/complaints/new/", "/en/accounts/login/", "/ko/"])
def test_a_broken_multipart_page_post_is_400(client, path):
    response = client.post(path, b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
