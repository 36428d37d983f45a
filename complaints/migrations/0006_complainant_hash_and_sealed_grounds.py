"""The account of a named complaint and its grounds leave plain sight (issue 17):
the account becomes a keyed hash (for "my complaints") plus the id encrypted,
and the grounds are encrypted on the complaint row. Existing rows are carried
over, and back again on reversal."""

from django.db import migrations

import core.fields

PURPOSE = "complaints.complainant"


def seal(apps, schema_editor):
    from core.crypto import keyed_hash

    Complaint = apps.get_model("complaints", "Complaint")
    ComplaintGround = apps.get_model("complaints", "ComplaintGround")
    grounds: dict = {}
    for complaint_id, code in ComplaintGround.objects.values_list("complaint_id", "code"):
        grounds.setdefault(complaint_id, set()).add(code)
    for complaint in Complaint.objects.all().iterator(chunk_size=500):
        if complaint.complainant_id is not None:
            complaint.complainant_account = str(complaint.complainant_id)
            complaint.complainant_hash = keyed_hash(PURPOSE, str(complaint.complainant_id))
        complaint.sealed_grounds = ",".join(sorted(grounds.get(complaint.pk, ())))
        complaint.save(update_fields=["complainant_account", "complainant_hash", "sealed_grounds"])


def unseal(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    ComplaintGround = apps.get_model("complaints", "ComplaintGround")
    for complaint in Complaint.objects.all().iterator(chunk_size=500):
        if complaint.complainant_hash and complaint.complainant_account:
            complaint.complainant_id = int(complaint.complainant_account)
            complaint.save(update_fields=["complainant"])
        ComplaintGround.objects.bulk_create(
            [
                ComplaintGround(complaint=complaint, code=code)
                for code in complaint.sealed_grounds.split(",")
                if code
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0005_merge_receipts_and_casework"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="complainant_account",
            field=core.fields.EncryptedTextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="complaint",
            name="complainant_hash",
            field=core.fields.KeyedHashField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                null=True,
                purpose="complaints.complainant",
                source="complainant_account",
            ),
        ),
        migrations.AddField(
            model_name="complaint",
            name="sealed_grounds",
            field=core.fields.EncryptedTextField(blank=True, default="", verbose_name="grounds"),
        ),
        migrations.RunPython(seal, unseal, elidable=False),
        migrations.RemoveField(
            model_name="complaint",
            name="complainant",
        ),
        migrations.DeleteModel(
            name="ComplaintGround",
        ),
    ]
