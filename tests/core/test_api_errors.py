"""Every API error comes back as {"detail", "code"} JSON, never an HTML page or a 500 page."""

import logging

import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.api_urls")]


def assert_shape(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def test_validation_error_is_400_naming_the_field(client):
    body = assert_shape(
        client.post("/api/test/echo", {"age": "x"}, content_type="application/json"), 400, "invalid"
    )
    fields = {e["field"] for e in body["errors"]}
    assert {"name", "age"} <= fields
    assert body["field"] in fields


def test_custom_validator_message_is_shown_as_written(client):
    response = client.post("/api/test/echo", {"name": "  "}, content_type="application/json")
    body = assert_shape(response, 400, "invalid")
    assert body["detail"] == "name: Please write a name."


def test_malformed_json_is_400(client):
    response = client.post("/api/test/echo", "{not json", content_type="application/json")
    body = assert_shape(response, 400, "invalid")
    assert "JSON" in body["detail"]


def test_field_error(client):
    body = assert_shape(client.get("/api/test/field"), 400, "invalid")
    assert body["field"] == "grounds"


def test_401_for_anonymous(client):
    assert_shape(client.get("/api/test/private"), 401, "not_authenticated")


def test_403_csrf_for_signed_in_write_without_token(client_for):
    client = client_for(UserFactory(), enforce_csrf_checks=True)
    assert_shape(client.post("/api/test/write"), 403, "csrf_failed")


def test_403_permission(client):
    assert_shape(client.get("/api/test/forbidden"), 403, "permission_denied")


def test_404_raised_and_unknown_path(client):
    assert_shape(client.get("/api/test/missing"), 404, "not_found")
    assert_shape(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_405_wrong_method(client):
    assert_shape(client.delete("/api/test/echo"), 405, "method_not_allowed")
    assert_shape(client.post("/api/v1/me"), 405, "method_not_allowed")


def test_409_conflict_keeps_its_code(client):
    body = assert_shape(client.get("/api/test/conflict"), 409, "transition_not_allowed")
    assert body["detail"] == "Not from this state."


def test_429_says_when_to_retry(client):
    client.get("/api/test/throttled")
    response = client.get("/api/test/throttled")
    body = assert_shape(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert response["Retry-After"] in body["detail"]


def test_500_is_json_and_logs_no_message(client, caplog):
    with caplog.at_level(logging.DEBUG):
        body = assert_shape(client.get("/api/test/crash"), 500, "server_error")
    assert "secret complaint text" not in body["detail"]
    assert "secret complaint text" not in caplog.text


def test_errors_follow_the_request_language(client):
    response = client.get("/api/test/private", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.json()["detail"] == "먼저 로그인해 주세요."


def test_real_api_me(client_for):
    user = UserFactory(username="me-user")
    body = client_for(user).get("/api/v1/me").json()
    assert body["username"] == "me-user"
    assert body["email_verified"] is True


def test_openapi_and_docs_are_served(client):
    assert client.get("/api/v1/openapi.json").json()["openapi"].startswith("3.")
    assert client.get("/api/v1/docs").status_code == 200


def test_an_exhausted_connection_pool_is_503_busy_not_500(client):
    response = client.get("/api/test/busy")
    body = assert_shape(response, 503, "busy")
    assert body["detail"]
    assert response["Retry-After"] == "5"


@pytest.mark.parametrize("url", ["/busy-page/", "/api/busy-page/"])
def test_a_locked_database_outside_ninja_is_503_with_retry_after(url, tmp_path):
    """A real SQLite lock, raised from a plain view: the page gets the 503 page,
    the API path the JSON shape."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    response = client.get(url, {"path": str(tmp_path / "locked.sqlite3")})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    if url.startswith("/api/"):
        assert response.json()["code"] in ("busy", "unavailable")
    else:
        assert "Many people are using the site right now" in response.content.decode()


def test_other_errors_outside_ninja_stay_500(client, settings):
    from django.test import Client

    response = Client(raise_request_exception=False).get("/busy-page/", {"path": "/nonexistent/x"})
    assert response.status_code == 500
