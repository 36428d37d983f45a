"""One error vocabulary (issue 15): services and selectors raise core.errors'
domain errors only; core.api turns them into the contract's JSON, and
core.http_errors into pages (404, 403, sign-in, messages, form errors)."""

import ast
import pathlib

import pytest
from django.contrib.messages import get_messages
from django.utils import translation

from core.errors import DomainError, Hidden, Invalid, NotNow, Raced, Refused, TooFast

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = (
    "accountability",
    "accounts",
    "cms",
    "complaints",
    "consultations",
    "core",
    "events",
    "moderation",
    "petitions",
)

# What is HTTP-shaped: responses and HTTP errors (django.http, django.shortcuts'
# get_object_or_404/redirect/render), the API's own errors (core.api), ninja.
HTTP_MODULES = ("django.http", "django.shortcuts", "core.api", "ninja")
# The request itself may be a parameter (the site a selector reads the chrome
# of), and a host-name helper is no answer to anyone.
ALLOWED = {("django.http", "HttpRequest"), ("django.http.request", "split_domain_port")}


# Write layers named otherwise: account data and deletion.
SERVICES_BY_ANOTHER_NAME = ("accounts/privacy.py",)


def _layer_modules():
    for app in APPS:
        for name in ("services.py", "selectors.py"):
            yield from (ROOT / app).rglob(name)
    yield from (ROOT / name for name in SERVICES_BY_ANOTHER_NAME)


def _http_imports(path: pathlib.Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def walk(node, type_checking=False):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # annotations only
            if isinstance(child, ast.ImportFrom) and child.module:
                module = ("." * child.level) + child.module
                if child.level and path.parent.name == "core":
                    module = "core." + child.module
                if module.startswith(HTTP_MODULES):
                    found.extend(
                        f"{path.relative_to(ROOT)}:{child.lineno} {module}.{a.name}"
                        for a in child.names
                        if (module, a.name) not in ALLOWED
                    )
            elif isinstance(child, ast.Import):
                found.extend(
                    f"{path.relative_to(ROOT)}:{child.lineno} {a.name}"
                    for a in child.names
                    if a.name.startswith(HTTP_MODULES)
                )
            walk(child)

    walk(tree)
    return found


def test_no_service_or_selector_imports_anything_http_shaped():
    modules = list(_layer_modules())
    assert len(modules) >= 14  # every app's services and selectors were read
    offenders = [line for path in modules for line in _http_imports(path)]
    assert offenders == []


# Django's own errors are not the vocabulary either. complaints is converted on
# its own branch; once it is merged, empty this and the check covers every app.
DJANGO_ERRORS = {"PermissionDenied", "ValidationError"}
NOT_YET_CONVERTED: tuple[str, ...] = ()


def _django_errors(path: pathlib.Path) -> list[str]:
    """Imports of django.core.exceptions' PermissionDenied/ValidationError, and
    raises that name them (however they were imported)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    where = path.relative_to(ROOT)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.core.exceptions":
            found.extend(
                f"{where}:{node.lineno} import {a.name}"
                for a in node.names
                if a.name in DJANGO_ERRORS
            )
        elif isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = getattr(raised, "id", None) or getattr(raised, "attr", None)
            if name in DJANGO_ERRORS:
                found.append(f"{where}:{node.lineno} raise {name}")
    return found


def test_no_service_or_selector_raises_djangos_errors():
    modules = [p for p in _layer_modules() if p.parent.name not in NOT_YET_CONVERTED]
    assert len(modules) >= 14
    offenders = [line for path in modules for line in _django_errors(path)]
    assert offenders == []


def test_the_scan_sees_djangos_errors():
    probe = ROOT / "core" / "_probe_services_for_test.py"
    probe.write_text(
        "from django.core.exceptions import PermissionDenied, ValidationError\n"
        "from django.core import exceptions\n"
        "def f():\n    raise exceptions.PermissionDenied\n"
        "def g():\n    raise ValidationError({'x': 'y'})\n"
    )
    try:
        found = _django_errors(probe)
    finally:
        probe.unlink()
    assert len(found) == 4


def test_the_scan_sees_an_http_import(tmp_path):
    """The scan itself: it would catch the imports services used to have."""
    probe = ROOT / "core" / "_probe_services_for_test.py"
    probe.write_text(
        "from django.http import Http404\nfrom core.api import ApiError\n"
        "from .api import FieldError\n"
        "def f():\n    from django.shortcuts import get_object_or_404\n"
    )
    try:
        found = _http_imports(probe)
    finally:
        probe.unlink()
    assert len(found) == 4


def test_every_domain_error_of_the_apps_is_one_of_the_five():
    """The apps' specific errors are subclasses of the vocabulary, with the
    contract's codes."""
    from complaints import conflicts
    from complaints import services as complaint_services
    from consultations.services import ConsultationClosed
    from core.throttle import Limited
    from core.uploads import UploadRejected
    from petitions import services as petition_services

    assert complaint_services.TransitionRefused is petition_services.TransitionRefused
    cases = {
        complaint_services.TransitionRefused: (NotNow, 409, "transition_not_allowed"),
        complaint_services.CaseFinished: (NotNow, 409, "case_finished"),
        complaint_services.IdempotencyKeyReused: (NotNow, 409, "idempotency_key_reused"),
        complaint_services.ReceiptUnknown: (Hidden, 404, "not_found"),
        conflicts.ConflictDeclared: (NotNow, 409, "conflict_of_interest"),
        ConsultationClosed: (NotNow, 409, "consultation_closed"),
        petition_services.PetitionClosed: (NotNow, 409, "petition_closed"),
        petition_services.PetitionNotEditable: (NotNow, 409, "not_editable"),
        Raced: (NotNow, 409, "conflict"),
    }
    for cls, (base, status, code) in cases.items():
        error = cls()
        assert isinstance(error, base) and error.status == status and error.code == code, cls
        assert str(error.message)
    assert isinstance(Limited(30), TooFast) and Limited(30).retry_after == 30
    rejected = UploadRejected("Too big.", "too_large")
    assert isinstance(rejected, Invalid) and rejected.field == "file"


# --- the JSON door ---------------------------------------------------------------------


@pytest.fixture
def client(client):
    """The default messages in English (the site's default language is Korean)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


pytestmark_urls = pytest.mark.urls("tests.core.domain_error_urls")


def _api(client, kind, **headers):
    response = client.get(f"/api/domain/raise/{kind}", **headers)
    assert response["Content-Type"].startswith("application/json")
    return response, response.json()


@pytestmark_urls
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "status", "code", "detail"),
    [
        ("hidden", 404, "not_found", "Not found."),
        ("refused", 403, "not_yours", "Not yours."),
        ("sign-in", 401, "not_authenticated", "Please sign in to do this."),
        ("not-now", 409, "thing_closed", "It is closed."),
        ("raced", 409, "conflict", "Someone else changed this just now. Reload and try again."),
        ("fsm-race", 409, "conflict", "Someone else changed this just now. Reload and try again."),
    ],
)
def test_the_api_answers_each_error_with_its_status_and_code(client, kind, status, code, detail):
    response, body = _api(client, kind)
    assert response.status_code == status
    assert body == {"detail": detail, "code": code}


@pytestmark_urls
@pytest.mark.django_db
def test_an_invalid_value_names_its_field_in_the_contract_shape(client):
    response, body = _api(client, "invalid")
    assert response.status_code == 400
    assert body == {
        "detail": "Say something.",
        "code": "invalid",
        "field": "body",
        "errors": [{"field": "body", "message": "Say something."}],
    }
    response, body = _api(client, "invalid-many")
    assert body["field"] == "title"
    assert [e["field"] for e in body["errors"]] == ["title", "body"]


@pytestmark_urls
@pytest.mark.django_db
def test_too_fast_says_when_to_try_again(client):
    response, body = _api(client, "too-fast")
    assert response.status_code == 429
    assert response["Retry-After"] == "7"
    assert body == {"detail": "Wait a little.", "code": "too_many_requests", "retry_after": 7}


@pytestmark_urls
@pytest.mark.django_db
def test_the_default_messages_are_in_the_request_language(client):
    _response, body = _api(client, "hidden", HTTP_ACCEPT_LANGUAGE="ko")
    assert body["detail"] == "찾을 수 없습니다."
    _response, body = _api(client, "raced", HTTP_ACCEPT_LANGUAGE="ko")
    assert body["detail"] == "다른 사람이 방금 바꾸었습니다. 새로고침한 뒤 다시 시도해 주세요."


# --- the HTML door ---------------------------------------------------------------------


def _message(response):
    """The message this response added (earlier ones wait in the cookie)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


@pytestmark_urls
@pytest.mark.django_db
def test_an_uncaught_error_on_a_page_is_a_404_403_or_sign_in(client):
    assert client.get("/en/domain-page/hidden/").status_code == 404
    assert client.get("/en/domain-page/refused/").status_code == 403
    response = client.get("/en/domain-page/sign-in/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytestmark_urls
@pytest.mark.django_db
def test_an_uncaught_not_now_after_a_post_is_a_message_and_the_way_back(client):
    response = client.post("/en/domain-page/not-now/", HTTP_REFERER="http://testserver/en/there/")
    assert response.status_code == 302 and response["Location"] == "http://testserver/en/there/"
    assert _message(response) == "It is closed."
    # A referer from elsewhere is not followed: back to the page itself.
    response = client.post("/en/domain-page/too-fast/", HTTP_REFERER="https://evil.example/")
    assert response["Location"] == "/en/domain-page/too-fast/"
    response = client.post("/en/domain-page/fsm-race/")
    assert response.status_code == 302
    assert _message(response) == "Someone else changed this just now. Reload and try again."


@pytestmark_urls
@pytest.mark.django_db
def test_an_uncaught_not_now_on_a_get_is_a_page_with_the_message(client):
    response = client.get("/en/domain-page/not-now/")
    assert response.status_code == 409
    assert "It is closed." in response.content.decode()


@pytestmark_urls
@pytest.mark.django_db
def test_answer_puts_an_invalid_value_on_the_form_field(client):
    response = client.post("/en/domain-form/invalid/", {"body": "x"})
    assert response.status_code == 400
    assert response.content.decode() == "form errors: body=Say something."
    # A field the form does not have goes on the whole form.
    response = client.post("/en/domain-form/invalid-many/", {"body": "x"})
    assert response.content.decode() == "form errors: __all__=Too long.; body=Empty."


@pytestmark_urls
@pytest.mark.django_db
def test_answer_turns_other_errors_into_a_message_and_the_way_back(client):
    response = client.post("/en/domain-form/not-now/", {"body": "x"})
    assert response.status_code == 302 and response["Location"] == "/back/"
    assert _message(response) == "It is closed."
    response = client.post("/en/domain-form/refused/", {"body": "x"})
    assert response["Location"] == "/back/" and _message(response) == "Not yours."
    response = client.post("/en/domain-form/sign-in/", {"body": "x"})
    assert "/accounts/login/" in response["Location"]
    assert client.post("/en/domain-form/hidden/", {"body": "x"}).status_code == 404


def test_domain_errors_default_to_their_class_code_and_message():
    with translation.override("en"):
        error = Refused()
        # The message is lazy: read in the language active where it is shown.
        assert error.code == "forbidden" and str(error) == "You are not allowed to do this."
    assert DomainError("x", code="y", extra=1).extra == {"extra": 1}
