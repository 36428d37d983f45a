"""Issue 17: migration 0006 carries existing named complaints over: the plain
account link becomes the keyed hash plus the encrypted id, and the ground rows
become the sealed grounds on the case (and back again on reversal)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("complaints", "0005_merge_receipts_and_casework")]
AFTER = [("complaints", "0006_complainant_hash_and_sealed_grounds")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_sealed_and_unsealed():
    from complaints.models import Complaint
    from tests import factories

    resident = factories.resident()
    try:
        old = _migrate(BEFORE)
        OldComplaint = old.get_model("complaints", "Complaint")
        OldGround = old.get_model("complaints", "ComplaintGround")
        named = OldComplaint.objects.create(
            reference="HR-2026-900001",
            description="x",
            consent_at=timezone.now(),
            complainant_id=resident.pk,
        )
        OldGround.objects.create(complaint=named, code="sexual_orientation")
        OldGround.objects.create(complaint=named, code="age")
        anonymous = OldComplaint.objects.create(
            reference="HR-2026-900002", description="y", consent_at=timezone.now()
        )

        _migrate(AFTER)
        sealed = Complaint.objects.get(pk=named.pk)
        assert sealed.filed_by(resident) and sealed.complainant_user() == resident
        assert sealed.ground_codes == ["age", "sexual_orientation"]
        assert list(Complaint.objects.filed_by(resident)) == [sealed]
        assert not Complaint.objects.get(pk=anonymous.pk).has_account

        back = _migrate(BEFORE)
        again = back.get_model("complaints", "Complaint").objects.get(pk=named.pk)
        assert again.complainant_id == resident.pk
        codes = back.get_model("complaints", "ComplaintGround").objects.filter(complaint=again)
        assert sorted(codes.values_list("code", flat=True)) == ["age", "sexual_orientation"]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
