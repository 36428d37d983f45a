"""Abuse without shutting anyone out: filing is limited per client address and
per session (generous defaults), with a clear message and no lost text; the
forwarded address is believed only from TRUSTED_PROXIES."""

import pytest
from django.test import Client

from complaints.models import Complaint
from core.throttle import client_address

from .conftest import api
from .intake import file_by_form

BODY = {"grounds": ["age"], "description": "Refused a job for my age.", "anonymous": True}


@pytest.fixture
def tight(settings):
    settings.COMPLAINTS_FILINGS_PER_CLIENT = 3
    settings.COMPLAINTS_FILINGS_PER_SESSION = 1
    return settings


def test_the_defaults_are_generous(settings):
    assert settings.COMPLAINTS_FILINGS_PER_CLIENT >= 30
    assert settings.COMPLAINTS_FILINGS_PER_SESSION >= 10
    assert settings.TRUSTED_PROXIES == []


def test_past_the_client_limit_the_api_answers_429_and_replays_still_work(db, tight):
    first = api(Client(), "post", "complaints", BODY, HTTP_IDEMPOTENCY_KEY="one")
    for _ in range(2):
        assert api(Client(), "post", "complaints", BODY).status_code == 201
    refused = api(Client(), "post", "complaints", BODY)
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_complaints"
    assert int(refused["Retry-After"]) > 0
    again = api(Client(), "post", "complaints", BODY, HTTP_IDEMPOTENCY_KEY="one")
    assert (again.status_code, again.json()) == (201, first.json())
    assert Complaint.objects.count() == 3


def test_a_forwarded_address_cannot_reset_the_limit(db, tight):
    for _ in range(3):
        api(Client(), "post", "complaints", BODY)
    spoofed = api(Client(), "post", "complaints", BODY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert spoofed.status_code == 429


def test_only_a_trusted_proxy_is_believed(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.9")
    assert client_address(request) == "10.0.0.5"
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(request) == "1.2.3.4"
    other = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(other) == "192.0.2.1"


def test_past_the_session_limit_the_form_comes_back_with_the_text(client, db, tight):
    first, _data = file_by_form(client, identity="anonymous")
    assert first.status_code == 302
    second, _data = file_by_form(
        client, identity="anonymous", description="A second story, kept whole."
    )
    assert second.status_code == 429
    html = second.content.decode()
    assert "A second story, kept whole." in html
    assert "Nothing you wrote is lost" in html
    assert Complaint.objects.count() == 1
