"""Staff need a TOTP second factor for case, moderation and admin pages
(settings.DEBUG off, as in the tests)."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from complaints.models import Complaint
from tests import factories
from tests.complaints.conftest import submit

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def case(db):
    caseworker = factories.caseworker()
    complaint = submit(factories.resident(), description="The narrative of the case.").complaint
    from complaints import services

    services.complaint_assign(
        complaint=complaint, actor=factories.supervisor(), caseworker=caseworker
    )
    return caseworker, Complaint.objects.get(pk=complaint.pk)


def test_a_caseworker_without_a_second_factor_is_sent_to_enrol(client_for, case):
    caseworker, complaint = case
    client = client_for(caseworker, second_factor=False)
    response = client.get(f"/en/casework/{complaint.reference}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/second-factor/?next=")
    followed = client.get(f"/en/casework/{complaint.reference}/", follow=True)
    assert b"narrative" not in followed.content
    api = client.get(f"/api/v1/complaints/{complaint.reference}")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"


def test_after_enrolment_and_verification_they_can(client_for, case, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would delay the right one
    caseworker, complaint = case
    client = client_for(caseworker, second_factor=False)
    target = f"/en/casework/{complaint.reference}/"
    page = client.get(f"/en/accounts/second-factor/?next={target}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body  # inline, with no inline script or style
    assert not re.search(r"<script(?![^>]*\bsrc=)", body) and "<style" not in body
    assert "style=" not in body
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    assert page.context["secret"].replace(" ", "") in body.replace(" ", "")

    wrong = client.post("/en/accounts/second-factor/", {"token": "abcdef", "next": target})
    assert wrong.status_code == 400
    done = client.post("/en/accounts/second-factor/", {"token": code(device), "next": target})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get(target).status_code == 200
    assert b"The narrative of the case." in client.get(target).content

    # A new session must verify again; a recovery code works once.
    again = client_for(caseworker, second_factor=False)
    response = again.get(target)
    assert response["Location"].startswith("/en/accounts/second-factor/verify/")
    assert (
        again.post("/en/accounts/second-factor/verify/", {"token": codes[0], "next": target})[
            "Location"
        ]
        == target
    )
    assert again.get(target).status_code == 200
    third = client_for(caseworker, second_factor=False)
    reused = third.post("/en/accounts/second-factor/verify/", {"token": codes[0]})
    assert reused.status_code == 400


@pytest.mark.parametrize("who", ["supervisor", "moderator", "superuser"])
def test_other_staff_need_it_too(client_for, who):
    user = getattr(factories, who)()
    client = client_for(user, second_factor=False)
    paths = {
        "supervisor": "/en/casework/",
        "moderator": "/en/consultations/moderation/",
        "superuser": "/django-admin/",
    }
    response = client.get(paths[who])
    assert response.status_code == 302
    assert "/accounts/second-factor/" in response["Location"]


def test_residents_need_none(client_for):
    resident = factories.resident()
    assert client_for(resident, second_factor=False).get("/en/complaints/mine/").status_code == 200


def test_with_debug_on_none_is_required(client_for, case, settings):
    settings.DEBUG = True
    caseworker, complaint = case
    client = client_for(caseworker, second_factor=False)
    assert client.get(f"/en/casework/{complaint.reference}/").status_code == 200


def test_the_next_parameter_stays_on_the_site(client_for):
    caseworker = factories.caseworker()
    client = client_for(caseworker, second_factor=False)
    device = TOTPDevice.objects.create(user=caseworker, name="app", confirmed=True)
    response = client.post(
        "/en/accounts/second-factor/verify/",
        {"token": code(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/en/accounts/profile/"
