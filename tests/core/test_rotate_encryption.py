"""Key rotation: data written under key A, keys changed to [B, A], rotation
run, then B alone reads everything and the raw columns hold only B's ciphertext."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from core.models import HealthMark
from core.private_storage import _path, private_file_read, private_file_save
from core.rotation import encrypted_fields

KEY_A, KEY_B, KEY_C = (Fernet.generate_key().decode() for _ in range(3))
SECRETS = [f"narrative number {n}: harassed at work" for n in range(5)]


def raw_rows(model) -> list[tuple]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, secret, email FROM {table} ORDER BY id")  # noqa: S608
        return cursor.fetchall()


def rotate(**options) -> str:
    out = StringIO()
    call_command("rotate_encryption", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def data_under_key_a(probe_model, settings):
    # The first transactional test on a worker still holds migrate's canary,
    # encrypted under the test key that none of these key lists carries.
    HealthMark.objects.all().delete()
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    for n, text in enumerate(SECRETS):
        probe_model.objects.create(secret=text, email=f"person{n}@example.org")
    probe_model.objects.create(secret=None)  # NULL stays NULL
    file_key = private_file_save(b"evidence bytes")
    return file_key


def test_generic_discovery_finds_every_encrypted_field(probe_model):
    found = {(model._meta.label, field.name) for model, field in encrypted_fields()}
    assert {("core.Probe", "secret"), ("core.Probe", "email")} <= found
    assert ("core.Probe", "file_key") not in found


def test_rotation_lets_the_old_key_be_removed(data_under_key_a, probe_model, settings):
    file_key = data_under_key_a
    old_raw = raw_rows(probe_model)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]

    output = rotate(batch_size=2)  # several batches

    assert "core.Probe.secret: 5 re-encrypted, 0 already current, 0 unreadable" in output
    assert "core.Probe.email: 6 re-encrypted" in output
    assert "private files: 1 re-encrypted" in output
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    rows = list(probe_model.objects.order_by("id"))
    assert [row.secret for row in rows] == [*SECRETS, None]
    assert rows[0].email == "person0@example.org"
    assert private_file_read(file_key) == b"evidence bytes"

    only_b = Fernet(KEY_B.encode())
    for (pk, secret, email), (_, old_secret, _) in zip(raw_rows(probe_model), old_raw, strict=True):
        if secret is None:
            assert old_secret is None
            continue
        assert secret != old_secret
        assert "narrative" not in secret and "@" not in email  # ciphertext only
        assert only_b.decrypt(secret.encode()).decode() == SECRETS[pk - old_raw[0][0]]
    assert b"evidence" not in _path(file_key).read_bytes()


def test_rotation_is_idempotent(data_under_key_a, probe_model, settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    rotate()
    after_first = raw_rows(probe_model)
    file_key = data_under_key_a
    file_after_first = _path(file_key).read_bytes()

    output = rotate()

    assert "core.Probe.secret: 0 re-encrypted, 5 already current" in output
    assert "private files: 0 re-encrypted, 1 already current" in output
    assert raw_rows(probe_model) == after_first
    assert _path(file_key).read_bytes() == file_after_first


def test_a_value_no_key_can_read_fails_loudly_without_blocking_the_rest(
    data_under_key_a, probe_model, settings
):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_C]
    stray = probe_model.objects.create(secret="written under a lost key")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]

    out = StringIO()
    with pytest.raises(CommandError, match="could not be decrypted") as failure:
        call_command("rotate_encryption", stdout=out)

    # Its secret and its (empty, still encrypted) e-mail: one each, named.
    output = out.getvalue()
    assert "core.Probe.secret: 5 re-encrypted, 0 already current, 1 unreadable" in output, output
    assert "core.Probe.email: 6 re-encrypted, 0 already current, 1 unreadable" in output, output
    assert str(failure.value).startswith("2 value(s)"), output

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    readable = probe_model.objects.exclude(pk=stray.pk).order_by("id")
    assert [row.secret for row in readable] == [*SECRETS, None]
