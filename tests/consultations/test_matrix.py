"""Role x phase x action: every cell answers as the issue says."""

import pytest

from consultations.models import Comment, Discussion, Proposal
from tests import factories
from tests.consultations.conftest import post_json

ROLES = ["anonymous", "unverified", "resident", "moderator", "staff"]
PHASES = ["upcoming", "open", "closed"]
ACTIONS = [
    "comment",
    "reply",
    "edit",
    "delete",
    "propose",
    "support",
    "report",
    "hide",
    "export",
]

# What each role gets while the consultation is open.
OPEN = {
    "anonymous": {
        "comment": 401, "reply": 401, "edit": 401, "delete": 401, "propose": 401,
        "support": 401, "report": 401, "hide": 401, "export": 302,
    },
    "unverified": {
        "comment": 403, "reply": 403, "edit": 403, "delete": 200, "propose": 403,
        "support": 403, "report": 201, "hide": 403, "export": 404,
    },
    "resident": {
        "comment": 201, "reply": 201, "edit": 200, "delete": 200, "propose": 201,
        "support": 200, "report": 201, "hide": 403, "export": 404,
    },
    "moderator": {
        "comment": 403, "reply": 403, "edit": 403, "delete": 200, "propose": 403,
        "support": 403, "report": 201, "hide": 200, "export": 404,
    },
    "staff": {
        "comment": 403, "reply": 403, "edit": 403, "delete": 200, "propose": 403,
        "support": 403, "report": 201, "hide": 403, "export": 200,
    },
}  # fmt: skip
# Writing needs an open consultation: outside it, a resident who could write gets 409.
PHASE_BOUND = {"comment", "reply", "edit", "propose", "support"}


def expected(role: str, phase: str, action: str) -> int:
    status = OPEN[role][action]
    if phase != "open" and status in (200, 201) and action in PHASE_BOUND:
        return 409
    return status


def make_user(role: str):
    return {
        "anonymous": lambda: None,
        "unverified": lambda: factories.resident(email_verified=False),
        "resident": factories.resident,
        "moderator": factories.moderator,
        "staff": factories.supervisor,
    }[role]()


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_matrix(client_for, make_consultation, role, phase, action):
    page = make_consultation(phase)
    user = make_user(role)
    someone = factories.resident()
    discussion = Discussion.objects.create(
        translation_key=page.translation_key, comment_count=2, proposal_count=1
    )
    # Made directly: outside the open phase no service would accept them.
    theirs = Comment.objects.create(discussion=discussion, author=someone, body="<p>Theirs</p>")
    mine = Comment.objects.create(discussion=discussion, author=user, body="<p>Mine</p>")
    proposal = Proposal.objects.create(discussion=discussion, author=someone, title="T", body="B")
    client = client_for(user)
    api = "/api/v1"
    calls = {
        "comment": lambda: post_json(
            client, f"{api}/consultations/{page.pk}/comments", {"body": "Hi"}
        ),
        "reply": lambda: post_json(
            client, f"{api}/consultations/{page.pk}/comments", {"body": "Hi", "parent": theirs.pk}
        ),
        "edit": lambda: post_json(client, f"{api}/comments/{mine.pk}", {"body": "New"}, "patch"),
        "delete": lambda: client.delete(f"{api}/comments/{mine.pk}"),
        "propose": lambda: post_json(
            client, f"{api}/consultations/{page.pk}/proposals", {"title": "T", "body": "B"}
        ),
        "support": lambda: post_json(client, f"{api}/proposals/{proposal.pk}/support"),
        "report": lambda: post_json(
            client, f"{api}/comments/{theirs.pk}/reports", {"reason": "spam"}
        ),
        "hide": lambda: post_json(client, f"{api}/comments/{theirs.pk}/hide", {"reason": "abuse"}),
        "export": lambda: client.get(f"/ko/consultations/{page.pk}/export.csv"),
    }
    response = calls[action]()
    assert response.status_code == expected(role, phase, action), response.content[:300]
    if response.status_code == 409:
        assert response.json()["code"] == "consultation_closed"
    if response.status_code in (401, 403, 409) and action != "export":
        body = response.json()
        assert body["detail"] and body["code"]
    if role == "unverified" and response.status_code == 403 and action != "hide":
        assert response.json()["code"] == "email_not_verified"
    # Nothing was written by a refused request.
    if response.status_code >= 300 and action in ("comment", "reply"):
        assert Comment.objects.count() == 2
    if response.status_code >= 300 and action == "propose":
        assert Proposal.objects.count() == 1
