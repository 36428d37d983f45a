"""The access sweep: every complaint route, found from the URL resolver and the
API router (a new route is swept automatically, or fails here until classified),
answers 404 to anyone not on the case, exactly as for a case that does not exist;
the case is absent from their lists and counts."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import translation

from complaints.api import router

from .conftest import submit

OUTSIDERS = ["other_caseworker", "other_resident", "anonymous", "superuser", "moderator"]
# Routes that name no case. Anything else must take a {reference}.
HTML_GLOBAL = {
    "complaints:new",
    "complaints:receipt_saved",
    "complaints:submitted",
    "complaints:exit",
    "complaints:step",
    "complaints:mine",
    "complaints:status",
    "casework:queue",
    # Issue 16; each answers 404 to outsiders in its own tests (test_intake,
    # test_triage, test_exports, test_conflicts) and lists only what the rules allow.
    "casework:intake",
    "casework:inbox",
    "casework:export",
    "casework:export_log",
    "casework:conflicts",
}
API_GLOBAL = {"/complaints", "/complaints/grounds", "/complaints/status"}
# A body that passes every endpoint's schema, so only the access check can answer.
ANY_BODY = {
    "transition": "accept",
    "note": "note",
    "caseworker": "nobody",
    "body": "hello",
}


def html_routes():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif namespace in ("complaints", "casework"):
                converters = pattern.pattern.converters
                # `step` names a page of the intake form, not a case.
                assert set(converters) <= {"reference", "attachment_id", "step"}, pattern.name
                yield f"{namespace}:{pattern.name}", "reference" in converters

    return sorted(set(walk(get_resolver().url_patterns)))


def api_routes():
    for path, view in router.path_operations.items():
        for operation in view.operations:
            for method in operation.methods:
                yield path, method


def test_every_route_is_known():
    html = html_routes()
    assert len(html) >= 10
    for name, has_reference in html:
        assert has_reference or name in HTML_GLOBAL, f"classify {name} in the access sweep"
    for path, _method in api_routes():
        assert "{reference}" in path or path in API_GLOBAL, f"classify {path}"
    # One complaint socket, swept for every outsider in test_case_socket; another
    # one added must join that sweep.
    from complaints.routing import websocket_urlpatterns

    assert [p.pattern.regex.pattern for p in websocket_urlpatterns] == [
        r"^ws/cases/(?P<reference>[A-Za-z0-9-]{1,20})/$"
    ], "sweep the new complaint socket routes in test_case_socket"


@pytest.fixture
def case(people, make_complaint, client_for):
    from complaints import services

    complaint = make_complaint("investigating")
    services.complaint_note_add(complaint=complaint, actor=people.caseworker, note="secret")
    services.complaint_message_post(complaint=complaint, author=people.owner, body="hi")
    services.complaint_attachment_add(
        complaint=complaint,
        actor=people.owner,
        uploaded_file=SimpleUploadedFile("proof.txt", b"refused a flat: the letter"),
    )
    return complaint


def _kwargs(name: str, reference: str, case) -> dict:
    """URL arguments; a file route gets the case's real file (so only the
    access check can refuse it)."""
    kwargs = {"reference": reference}
    if name == "complaints:attachment":
        kwargs["attachment_id"] = case.attachments.get().pk
    return kwargs


def _outsider(people, role):
    from tests import factories

    if role == "anonymous":
        return None
    if role == "moderator":
        return factories.moderator()
    return getattr(people, role)


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_html_case_routes_answer_404_like_a_missing_case(people, case, client_for, role, lang):
    client = client_for(_outsider(people, role))
    for name, has_reference in html_routes():
        if not has_reference:
            continue
        with translation.override(lang):
            real = reverse(name, kwargs=_kwargs(name, case.reference, case))
            missing = reverse(name, kwargs=_kwargs(name, "HR-2026-999999", case))
        for method in ("get", "post"):
            answer = getattr(client, method)(real, ANY_BODY)
            ghost = getattr(client, method)(missing, ANY_BODY)
            assert answer.status_code == ghost.status_code, (name, method, role)
            assert answer.status_code in (404, 405), (name, method, role, answer.status_code)
            # (The 404 page's language links echo the requested path, for any path.)
            body = answer.content.decode()
            assert "secret" not in body and "refused a flat" not in body
            assert "proof" not in body
            assert case.get_status_display() not in body
        assert 404 in {client.get(real).status_code, client.post(real, ANY_BODY).status_code}
    case.refresh_from_db()
    assert case.status == "investigating"


@pytest.mark.parametrize("role", OUTSIDERS)
def test_api_case_routes_answer_404_like_a_missing_case(people, case, client_for, role):
    client = client_for(_outsider(people, role))
    for path, method in api_routes():
        if "{reference}" not in path:
            continue
        for reference in (case.reference, "HR-2026-999999"):
            url = "/api/v1" + path.replace("{reference}", reference)
            if method == "GET":
                response = client.get(url)
            else:
                response = client.generic(
                    method, url, json.dumps(ANY_BODY), content_type="application/json"
                )
            assert response.status_code == 404, (path, method, role, response.content)
            assert response.json() == {"detail": response.json()["detail"], "code": "not_found"}
    case.refresh_from_db()
    assert case.status == "investigating"
    assert case.messages.count() == 1
    assert case.attachments.count() == 1
    assert case.events.filter(kind="viewed").count() == 0


@pytest.mark.parametrize("role", OUTSIDERS)
def test_the_case_is_absent_from_lists_and_counts(people, case, client_for, role):
    user = _outsider(people, role)
    if user is not None and role != "superuser":
        submit(user)  # they have a case of their own, so lists are not empty by accident
    client = client_for(user)
    listing = client.get("/api/v1/complaints")
    if user is None:
        assert listing.status_code == 401
    else:
        data = listing.json()
        assert case.reference not in json.dumps(data)
        assert data["count"] == len(data["items"]) <= 1
    for view in ("mine", "unassigned", "all", "overdue"):
        response = client.get(reverse("casework:queue") + f"?view={view}")
        assert case.reference not in response.content.decode()
        if response.status_code == 200:
            assert response.context["page_obj"].paginator.count == 0
        else:
            assert response.status_code == 404
    mine = client.get(reverse("complaints:mine"))
    assert case.reference not in mine.content.decode()


def test_insiders_do_get_in(people, case, client_for):
    """The sweep's 404s are not an accident of broken routes."""
    for user in (people.supervisor, people.caseworker):
        response = client_for(user).get(reverse("casework:case", args=[case.reference]))
        assert response.status_code == 200
        assert "secret" in response.content.decode()
    owner_page = client_for(people.owner).get(reverse("complaints:detail", args=[case.reference]))
    assert owner_page.status_code == 200
    assert "secret" not in owner_page.content.decode()
    # The complainant is not office staff: the workspace stays closed to them.
    assert (
        client_for(people.owner).get(reverse("casework:case", args=[case.reference])).status_code
        == 404
    )


def test_unassigned_caseworker_loses_access_on_the_next_request(people, case, client_for):
    from complaints import services

    client = client_for(people.caseworker)
    url = reverse("casework:case", args=[case.reference])
    assert client.get(url).status_code == 200
    services.complaint_unassign(
        complaint=case, actor=people.supervisor, caseworker=people.caseworker
    )
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/complaints/{case.reference}").status_code == 404
