"""The same refusal on both doors (issue 15), route by route, outside complaints
(complaints have their own walk in tests/complaints/test_one_door.py).

What each caller gets is one of: "ok", 401 (sign in first: the API's 401 is the
HTML login redirect), 404 (may not see the thing) or 403 (may see it, may not
do this). HTML says 403 either with the 403 page or, on a form post, by taking
the person back with the reason as an error message; then the message is the
API's `detail`, word for word, because both doors ask the same service.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.urls import reverse

from consultations import services as consultation_services
from tests import factories
from tests.consultations.conftest import index_page, make_consultation  # noqa: F401 (fixtures)
from tests.events.conftest import event_index, make_event  # noqa: F401 (fixtures)
from tests.petitions.factories import PetitionFactory

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "author", "other_resident", "unverified", "moderator", "supervisor"]


def _people() -> dict:
    return {
        "anonymous": None,
        "author": factories.resident(),
        "other_resident": factories.resident(),
        "unverified": factories.resident(email_verified=False),
        "moderator": factories.moderator(),
        "supervisor": factories.supervisor(),
    }


def _json(client, method: str, path: str, data=None):
    return getattr(client, method)(
        f"/api/v1/{path}", data=json.dumps(data or {}), content_type="application/json"
    )


def _html_outcome(response) -> tuple:
    status = response.status_code
    if status == 302 and response.url.split("?")[0].endswith(reverse(settings.LOGIN_URL)):
        return 401, None
    if status in (403, 404):
        return status, None
    errors = [str(m) for m in response.wsgi_request._messages if m.level == message_levels.ERROR]
    if errors:
        return 403, errors[0]
    assert status in (200, 302), status
    return "ok", None


def _api_outcome(response) -> tuple:
    status = response.status_code
    if 200 <= status < 300:
        return "ok", None
    return status, response.json().get("detail")


# route -> (make the thing for this caller, HTML request, API request, expected).
# Each door gets a thing of its own, so one door's success cannot change what
# the other is asked. Missing from `expected`: 403.
def _comment(ctx):
    return consultation_services.comment_create(
        page=ctx["consultation"], author=ctx["people"]["author"], body="A comment."
    )


def _proposal(ctx):
    return consultation_services.proposal_create(
        page=ctx["consultation"], author=ctx["people"]["author"], title="An idea", body="Why."
    )


ROUTES = {
    "comment": (
        lambda ctx: ctx["consultation"],
        lambda c, page: c.post(
            reverse("consultations:comment_create", args=[page.pk]), {"body": "Hello"}
        ),
        lambda c, page: _json(c, "post", f"consultations/{page.pk}/comments", {"body": "Hello"}),
        {"anonymous": 401, "author": "ok", "other_resident": "ok"},
    ),
    "edit comment": (
        _comment,
        lambda c, comment: c.post(
            reverse("consultations:comment_edit", args=[comment.pk]), {"body": "New", "stance": ""}
        ),
        lambda c, comment: _json(c, "patch", f"comments/{comment.pk}", {"body": "New"}),
        {"anonymous": 401, "author": "ok"},
    ),
    "delete comment": (
        _comment,
        lambda c, comment: c.post(reverse("consultations:comment_delete", args=[comment.pk])),
        lambda c, comment: _json(c, "delete", f"comments/{comment.pk}"),
        {"anonymous": 401, "author": "ok"},
    ),
    "hide comment": (
        _comment,
        lambda c, comment: c.post(
            f"/ko/consultations/moderation/comment/{comment.pk}/hide/", {"reason": "abuse"}
        ),
        lambda c, comment: _json(c, "post", f"comments/{comment.pk}/hide", {"reason": "abuse"}),
        {"anonymous": 401, "moderator": "ok"},
    ),
    "support proposal": (
        _proposal,
        lambda c, proposal: c.post(reverse("consultations:proposal_support", args=[proposal.pk])),
        lambda c, proposal: _json(c, "post", f"proposals/{proposal.pk}/support"),
        {"anonymous": 401, "author": "ok", "other_resident": "ok"},
    ),
    "answer proposal": (
        _proposal,
        lambda c, proposal: c.post(
            reverse("consultations:proposal_answer", args=[proposal.pk]),
            {"status": "accepted", "answer": "We will."},
        ),
        lambda c, proposal: _json(
            c, "post", f"proposals/{proposal.pk}/answer", {"status": "accepted", "answer": "We."}
        ),
        {"anonymous": 401, "supervisor": "ok"},
    ),
    "sign petition": (
        lambda ctx: PetitionFactory(),
        lambda c, petition: c.post(reverse("petitions:sign", args=[petition.pk])),
        lambda c, petition: _json(c, "post", f"petitions/{petition.pk}/signatures"),
        {"anonymous": 401, "author": "ok", "other_resident": "ok"},
    ),
    "register for an event": (
        lambda ctx: ctx["make_event"](),
        lambda c, event: c.post(reverse("events:register", args=[event.pk])),
        lambda c, event: _json(c, "post", f"events/{event.pk}/registrations"),
        {"anonymous": 401, "author": "ok", "other_resident": "ok", "unverified": "ok"},
    ),
}


@pytest.mark.parametrize("route", list(ROUTES))
def test_html_and_api_refuse_alike_route_by_route(route, request, client_for, settings):
    settings.CONSULTATIONS_POST_LIMIT = 1000  # the author posts a thing for every caller
    make, html_request, api_request, expected = ROUTES[route]
    ctx = {
        "people": _people(),
        "consultation": request.getfixturevalue("make_consultation")("open"),
        "make_event": request.getfixturevalue("make_event"),
    }
    found, wanted = {}, {}
    for actor in ACTORS:
        user = ctx["people"][actor]
        html, html_text = _html_outcome(html_request(client_for(user), make(ctx)))
        api, api_text = _api_outcome(api_request(client_for(user), make(ctx)))
        wanted[actor] = (expected.get(actor, 403),) * 2
        found[actor] = (html, api)
        if html_text is not None:
            assert html_text == api_text, (route, actor)
    assert found == wanted, route
