"""Issue 17: the account of a named complaint is a keyed hash (found, indexed)
plus the id encrypted; it survives key rotation and account deletion unlinks it."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from complaints import services
from complaints.models import Complaint
from complaints.rules import is_complainant
from core import crypto

from .conftest import submit

KEY_A, KEY_B = (Fernet.generate_key().decode() for _ in range(2))


def _raw(complaint) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT complainant_hash, complainant_account FROM complaints_complaint WHERE id = %s",
            [complaint.pk.hex if connection.vendor == "sqlite" else complaint.pk],
        )
        return cursor.fetchone()


def test_the_row_holds_a_keyed_hash_and_a_ciphertext_never_the_id(people):
    complaint = submit(people.owner).complaint
    tag, account = _raw(complaint)
    assert tag == crypto.keyed_hash("complaints.complainant", str(people.owner.pk))
    assert len(tag) == 64 and str(people.owner.pk) != account and account.startswith("gAAAA")
    # Keyed: the same id under another key gives another hash (no dictionary of ids).
    assert tag != crypto._hash(b"k" * 32, "complaints.complainant", str(people.owner.pk))
    assert complaint.complainant_user() == people.owner
    assert is_complainant(people.owner, complaint)
    assert not is_complainant(people.other_resident, complaint)


def test_my_complaints_is_one_indexed_query(people, django_assert_num_queries):
    mine = {submit(people.owner).complaint.pk for _ in range(3)}
    submit(people.other_resident)
    with django_assert_num_queries(1):
        assert {c.pk for c in Complaint.objects.filed_by(people.owner)} == mine


def test_rotation_hashes_again_and_the_old_key_can_go(people, settings):
    # The test key stays last: rows written before (the health canary) read on.
    test_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A, *test_keys]
    complaint = submit(people.owner).complaint
    old_tag, _ = _raw(complaint)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A, *test_keys]
    # Before rotation, both keys' hashes are asked: the case is still found.
    assert list(Complaint.objects.filed_by(people.owner)) == [complaint]
    out = StringIO()
    call_command("rotate_encryption", stdout=out)
    assert "complaints.Complaint.complainant_hash: 1 hashed again" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    new_tag, _ = _raw(complaint)
    assert new_tag != old_tag
    assert list(Complaint.objects.filed_by(people.owner)) == [complaint]
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, *test_keys]
    again = StringIO()
    call_command("rotate_encryption", stdout=again)
    assert "complaints.Complaint.complainant_hash: 0 hashed again, 1 already current" in (
        again.getvalue()
    )


@pytest.mark.django_db
def test_unlinking_an_account_empties_both_columns(people):
    complaint = submit(people.owner).complaint
    assert services.complaints_unlink_account(user=people.owner) == 1
    assert _raw(complaint)[0] is None
    complaint.refresh_from_db()
    assert not complaint.has_account and complaint.complainant_account == ""
    assert not Complaint.objects.filed_by(people.owner).exists()


def test_the_case_page_names_the_account_read_from_its_encrypted_id(people, client_for):
    from django.urls import reverse
    from django.utils import translation

    complaint = submit(people.owner).complaint
    with translation.override("en"):
        path = reverse("casework:case", kwargs={"reference": complaint.reference})
    html = client_for(people.supervisor).get(path).content.decode()
    assert people.owner.get_display_name() in html
