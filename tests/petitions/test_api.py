import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from moderation.models import Visibility
from petitions import services
from petitions.models import Petition, Signature
from tests import factories
from tests.petitions.factories import PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db

S = Petition.Status
URL = "/api/v1/petitions"


def sign_url(petition_or_id):
    pk = getattr(petition_or_id, "pk", petition_or_id)
    return f"{URL}/{pk}/signatures"


def post(client, url, body=None, **extra):
    data = json.dumps(body) if body is not None else ""
    return client.post(url, data=data, content_type="application/json", **extra)


# --- GET petitions ---------------------------------------------------------------


def test_list_shows_public_petitions_only_in_the_contract_shape(client):
    shown = {PetitionFactory(status=s).pk for s in Petition.PUBLIC_STATUSES}
    for hidden in (S.DRAFT, S.AWAITING_MODERATION, S.REJECTED):
        PetitionFactory(status=hidden)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert {item["id"] for item in body} == shown
    assert set(body[0]) == {"id", "title", "status", "signature_count", "threshold", "closes_at"}


def test_list_shows_expired_open_petition_as_closed(client):
    PetitionFactory(closes_at=timezone.now() - timedelta(hours=1))
    assert client.get(URL).json()[0]["status"] == "closed"
    assert client.get(URL, {"status": "open"}).json() == []
    assert len(client.get(URL, {"status": "closed"}).json()) == 1


def test_list_filters_search_and_sort(client):
    a = PetitionFactory(title="Ramps at the library", signature_count=5)
    b = PetitionFactory(title="Benches by the river", signature_count=50)
    assert [p["id"] for p in client.get(URL).json()] == [b.pk, a.pk]
    assert [p["id"] for p in client.get(URL, {"q": "ramps"}).json()] == [a.pk]


@pytest.mark.parametrize("params", [{"status": "drafts"}, {"sort": "random"}])
def test_list_rejects_unknown_filter_values(client, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["field"] == next(iter(params))


def test_list_query_count_does_not_grow(client, django_assert_num_queries):
    PetitionFactory.create_batch(2)
    with django_assert_num_queries(1):
        small = client.get(URL)
    PetitionFactory.create_batch(40)
    with django_assert_num_queries(1):
        large = client.get(URL)
    assert (len(small.json()), len(large.json())) == (2, 42)


# --- POST petitions/{id}/signatures -------------------------------------------------


def test_sign_anonymous_gets_401(client):
    petition = PetitionFactory()
    response = post(client, sign_url(petition), {})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not Signature.objects.exists()


def test_sign_and_repeat_keeps_the_count(client_for, resident):
    petition = PetitionFactory()
    client = client_for(resident)
    first = post(client, sign_url(petition), {"show_name": True})
    assert first.status_code == 201
    assert first.json() == {"signature_count": 1, "already_signed": False}
    again = post(client, sign_url(petition), {"show_name": False})
    assert again.status_code == 200
    assert again.json() == {"signature_count": 1, "already_signed": True}
    assert Signature.objects.get(petition=petition).show_name is True


def test_sign_without_body(client_for, resident):
    petition = PetitionFactory()
    response = client_for(resident).post(sign_url(petition))
    assert response.status_code == 201
    assert Signature.objects.get().show_name is False


def test_sign_needs_csrf_token(resident):
    petition = PetitionFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident, backend="accounts.backends.RolesWithUserBackend")
    response = post(client, sign_url(petition), {})
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not Signature.objects.exists()


def test_sign_unverified_email_gets_clear_403(client_for):
    petition = PetitionFactory()
    client = client_for(factories.resident(email_verified=False))
    response = post(client, sign_url(petition), {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json()["code"] == "email_not_verified"
    assert "e-mail" in response.json()["detail"]


@pytest.mark.parametrize("make", [factories.moderator, factories.caseworker, factories.supervisor])
def test_sign_non_resident_gets_403(client_for, make):
    petition = PetitionFactory()
    response = post(client_for(make()), sign_url(petition), {})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Signature.objects.exists()


def test_sign_closed_gets_409(client_for, resident):
    petition = PetitionFactory(status=S.CLOSED)
    response = post(client_for(resident), sign_url(petition), {})
    assert response.status_code == 409
    assert response.json()["code"] == "petition_closed"


@pytest.mark.parametrize("state", [S.AWAITING_RESPONSE, S.ANSWERED])
def test_signing_goes_on_after_the_threshold_until_the_closing_date(client_for, resident, state):
    petition = PetitionFactory(status=state, threshold=1)
    response = post(client_for(resident), sign_url(petition), {})
    assert response.status_code == 201
    assert response.json()["signature_count"] == 1
    petition.refresh_from_db()
    assert petition.status == state  # no second crossing


def test_sign_expired_gets_409_before_closing_task(client_for, resident):
    petition = PetitionFactory(closes_at=timezone.now() - timedelta(seconds=1))
    response = post(client_for(resident), sign_url(petition), {})
    assert response.status_code == 409
    assert response.json()["code"] == "petition_closed"
    petition.refresh_from_db()
    assert (petition.status, petition.signature_count) == (S.OPEN, 0)


@pytest.mark.parametrize("state", [S.DRAFT, S.AWAITING_MODERATION, S.REJECTED])
def test_sign_unpublished_is_404_like_a_missing_one(client_for, resident, state):
    petition = PetitionFactory(status=state)
    response = post(client_for(resident), sign_url(petition), {})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert post(client_for(resident), sign_url(999999), {}).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"show_name": "yes please"}, "show_name"),
        ({"show_name": True, "nickname": "x"}, "nickname"),
        ([1, 2], "body"),
    ],
)
def test_sign_validation_errors_name_the_field(client_for, resident, body, field):
    petition = PetitionFactory()
    response = post(client_for(resident), sign_url(petition), body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["field"] == field
    assert not Signature.objects.exists()


def test_sign_invalid_json_and_bad_id(client_for, resident):
    petition = PetitionFactory()
    client = client_for(resident)
    bad = client.post(sign_url(petition), data="{not json", content_type="application/json")
    assert bad.status_code == 400
    assert post(client, f"{URL}/abc/signatures", {}).status_code in (400, 404)
    assert not Signature.objects.exists()


def test_signing_runs_the_fewest_queries(client_for, resident, django_assert_num_queries):
    """The session, the user with its roles (may they sign; accounts.backends),
    then the signature: on PostgreSQL one statement locks the petition, inserts and
    counts; on SQLite an INSERT and the count. The petition is not read first."""
    petition = PetitionFactory()
    SignatureFactory(petition=petition)
    client = client_for(resident)
    signing = 3 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(signing):
        response = post(client, sign_url(petition), {})
    assert response.status_code == 201
    assert response.json() == {"signature_count": 2, "already_signed": False}
    assert Signature.objects.filter(petition=petition, user=resident).exists()


def test_sign_again_answers_the_same(client_for, resident):
    petition = PetitionFactory()
    client = client_for(resident)
    assert post(client, sign_url(petition), {}).status_code == 201
    again = post(client, sign_url(petition), {})
    assert again.status_code == 200
    assert again.json() == {"signature_count": 1, "already_signed": True}
    assert Signature.objects.filter(petition=petition).count() == 1


def test_sign_hidden_by_a_moderator_gets_409(client_for, resident):
    petition = PetitionFactory()
    Petition.objects.filter(pk=petition.pk).update(state=Visibility.HIDDEN)
    response = post(client_for(resident), sign_url(petition), {})
    assert response.status_code == 409
    assert response.json()["code"] == "petition_closed"
    assert not Signature.objects.exists()


def test_creator_signing_their_draft_gets_409(client_for, resident):
    # The creator may see their draft, so it is "not now", not "not found".
    petition = PetitionFactory(status=S.DRAFT, creator=resident)
    response = post(client_for(resident), sign_url(petition), {})
    assert response.status_code == 409
    assert not Signature.objects.exists()


def test_sign_crossing_threshold_moves_petition(client_for):
    petition = PetitionFactory(threshold=1)
    response = post(client_for(factories.resident()), sign_url(petition), {})
    assert response.json()["signature_count"] == 1
    petition.refresh_from_db()
    assert petition.status == S.OPEN  # the signing request writes only the signature
    services.petition_fold(petition_id=petition.pk)  # the task worker, within a second
    petition.refresh_from_db()
    assert petition.status == S.AWAITING_RESPONSE


# --- DELETE (withdraw) -------------------------------------------------------------


def test_withdraw(client_for, resident):
    petition = PetitionFactory(signature_count=1)
    SignatureFactory(petition=petition, user=resident)
    response = client_for(resident).delete(sign_url(petition))
    assert response.status_code == 200
    assert response.json()["signature_count"] == 0
    assert not Signature.objects.exists()


def test_withdraw_anonymous_401_and_closed_409(client, client_for, resident):
    petition = PetitionFactory(status=S.CLOSED, signature_count=1)
    SignatureFactory(petition=petition, user=resident)
    assert client.delete(sign_url(petition)).status_code == 401
    response = client_for(resident).delete(sign_url(petition))
    assert response.status_code == 409
    assert response.json()["code"] == "petition_closed"
    assert Signature.objects.count() == 1


def test_openapi_lists_the_contract_rows(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/petitions"]
    assert "post" in paths["/api/v1/petitions/{petition_id}/signatures"]
