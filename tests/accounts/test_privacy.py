"""A resident downloads their data and deletes their account."""

import json

import pytest
from django.core import mail
from django.utils import translation

from accounts.models import User
from complaints.models import Complaint
from consultations import services as consultation_services
from consultations.models import Comment
from petitions import services as petition_services
from petitions.models import Petition, Signature
from tests import factories
from tests.complaints.conftest import submit
from tests.consultations.conftest import consultation, index_page, make_consultation  # noqa: F401
from tests.petitions.factories import PetitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_resident(consultation):  # noqa: F811
    resident = factories.resident(username="leaving")
    comment = consultation_services.comment_create(
        page=consultation, author=resident, body="Please add ramps."
    )
    petition = PetitionFactory()
    petition_services.petition_sign(petition=petition, user=resident)
    petition_services.petition_sign(petition=petition, user=factories.resident())
    complaint = submit(resident).complaint
    return resident, comment, petition, complaint


def test_me_data_holds_what_the_platform_holds(client_for, active_resident):
    resident, comment, petition, complaint = active_resident
    data = client_for(resident).get("/api/v1/me/data").json()
    assert data["profile"]["username"] == "leaving"
    assert data["profile"]["email"] == "leaving@example.org"
    assert [c["reference"] for c in data["complaints"]] == [complaint.reference]
    assert any(row["id"] == comment.pk for row in data["consultations.comment"])
    assert [row["petition_id"] for row in data["petitions.signature"]] == [petition.pk]
    assert "password" not in json.dumps(data["profile"])


def test_me_data_needs_a_session(client):
    assert client.get("/api/v1/me/data").status_code == 401


def test_delete_me(client_for, active_resident, django_capture_on_commit_callbacks):
    resident, comment, petition, complaint = active_resident
    client = client_for(resident)
    wrong = client.delete(
        "/api/v1/me", data=json.dumps({"password": "nope"}), content_type="application/json"
    )
    assert wrong.status_code == 400 and wrong.json()["field"] == "password"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(
            "/api/v1/me",
            data=json.dumps({"password": factories.PASSWORD}),
            content_type="application/json",
        )
    assert response.status_code == 204
    gone = User.objects.get(pk=resident.pk)
    assert not gone.is_active and gone.email == "" and gone.username != "leaving"
    with translation.override("en"):
        assert gone.get_display_name() == "Deleted user"
    assert Comment.objects.get(pk=comment.pk).author_id == gone.pk  # kept, as a deleted user's
    assert not Signature.objects.filter(user=gone).exists()
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.signature_count == Signature.objects.filter(petition=petition).count() == 1
    assert not Complaint.objects.get(pk=complaint.pk).has_account  # kept, unlinked
    assert [m.to for m in mail.outbox][-1] == ["leaving@example.org"]
    assert client.get("/api/v1/me").status_code == 401  # signed out, cannot sign in again
    assert not gone.has_usable_password()


def test_the_account_pages(client_for, active_resident):
    resident = active_resident[0]
    client = client_for(resident)
    download = client.get("/en/accounts/data/")
    assert download["Content-Disposition"].startswith("attachment")
    assert json.loads(download.content)["profile"]["username"] == "leaving"
    assert client.get("/en/accounts/delete/").status_code == 200
    assert client.post("/en/accounts/delete/", {"password": "nope"}).status_code == 400
    assert client.post("/en/accounts/delete/", {"password": factories.PASSWORD}).status_code == 302
    assert not User.objects.get(pk=resident.pk).is_active
