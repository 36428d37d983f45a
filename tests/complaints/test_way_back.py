"""Every filer without an account gets a way back (CONTRACT.md section 3):
anonymous, or named with a name and an e-mail or phone; both get a receipt.
Signed in, a named complaint is tied to the account."""

import re

import pytest
from django.test import Client

from complaints.models import Complaint

from .conftest import api
from .intake import file_by_form, step_url, url
from .test_at_rest import raw_dump

BODY = {
    "grounds": ["race"],
    "description": "The landlord refused to rent to us because of where we are from.",
    "anonymous": False,
}


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({}, "name"),
        ({"name": "Kim Mina"}, "contact_email"),
        ({"name": "Kim Mina", "contact_phone": "12"}, "contact_phone"),
        ({"name": "Kim Mina", "contact_email": "nope"}, "contact_email"),
        ({"contact_email": "mina@example.org"}, "name"),
    ],
)
def test_named_without_an_account_needs_a_name_and_a_way_to_reach(db, extra, field):
    response = api(Client(), "post", "complaints", {**BODY, **extra})
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    "contact", [{"contact_email": "mina@example.org"}, {"contact_phone": "010-1234-5678"}]
)
def test_named_without_an_account_gets_a_receipt_and_is_kept_encrypted(db, contact):
    response = api(Client(), "post", "complaints", {**BODY, "name": "Kim Mina", **contact})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["receipt"].replace("-", "")) == 16
    complaint = Complaint.objects.get()
    assert not complaint.anonymous and not complaint.has_account
    assert complaint.contact_name == "Kim Mina"
    dump = raw_dump()
    assert "Kim Mina" not in dump and "1234-5678" not in dump and "mina@example" not in dump
    opened = api(Client(), "post", "complaints/status", {"receipt": body["receipt"]})
    assert opened.status_code == 200 and opened.json()["reference"] == body["reference"]


def test_anonymous_gets_a_receipt_and_signed_in_named_is_tied_to_the_account(people, client_for):
    anonymous = api(Client(), "post", "complaints", {**BODY, "anonymous": True})
    assert anonymous.status_code == 201 and anonymous.json()["receipt"]
    named = api(client_for(people.owner), "post", "complaints", BODY)
    assert named.status_code == 201 and "receipt" not in named.json()
    named_case = Complaint.objects.get(reference=named.json()["reference"])
    assert named_case.complainant_user() == people.owner


def test_the_form_asks_who_you_are_first_and_says_who_reads_it(client, db):
    html = client.get(url("complaints:new")).content.decode()
    assert 'name="identity"' in html and 'name="description"' not in html
    assert "checked" not in html  # nothing chosen for the person
    assert "Who reads your complaint" in html and "not told" in html
    client.post(url("complaints:new"), {"identity": "anonymous"})
    client.post(step_url("contact"), {})
    story = client.get(step_url("story")).content.decode()
    [textarea] = re.findall(r'<textarea[^>]*name="description"[^>]*>', story)
    assert 'autocomplete="off"' in textarea


def test_signed_out_named_form_without_contact_says_what_to_do(client, db):
    response, _data = file_by_form(client, identity="named", contact_name="", contact_email="")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "contact_name" in errors and "contact_email" in errors
    html = response.content.decode()
    assert "<title>Error:" in html and "autofocus" in html
    assert 'href="#id_contact_name"' in html
    assert "Tell us your name" in html
    assert Complaint.objects.count() == 0


def test_signed_out_named_form_gets_a_receipt(client, db):
    response, _data = file_by_form(
        client,
        identity="named",
        contact_name="Kim Mina",
        contact_email="",
        contact_phone="010-1234-5678",
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    receipt = page.context["submission"]["receipt"]
    assert receipt
    assert Complaint.objects.get().contact_phone == "010-1234-5678"


def test_signed_in_form_has_no_name_or_phone_fields(people, client_for):
    html = client_for(people.owner).get(url("complaints:new")).content.decode()
    assert 'name="contact_name"' not in html and 'name="contact_phone"' not in html
