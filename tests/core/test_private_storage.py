"""Encrypted private storage: random names outside any served folder, files
and rows that live and die together, and safe downloads."""

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import IntegrityError, transaction

from core import crypto
from core.private_storage import (
    PrivateFileMissing,
    atomic_private_file,
    private_file_delete,
    private_file_delete_on_commit,
    private_file_keys,
    private_file_read,
    private_file_response,
    private_file_save,
    private_file_sweep,
)

SECRET = b"My neighbour at 12 Hidden Lane threatened me"


def stored_files(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


def test_saved_file_is_encrypted_under_a_random_name(settings):
    key = private_file_save(SECRET)

    [path] = stored_files(settings.PRIVATE_STORAGE_ROOT)
    assert path.name == key and len(key) == 64
    assert path.resolve().is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT).resolve())
    raw = path.read_bytes()
    assert SECRET not in raw and b"Hidden Lane" not in raw
    assert crypto.decrypt(raw) == SECRET
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert private_file_read(key) == SECRET
    assert private_file_save(SECRET) != key  # every file its own random name


def test_delete_removes_the_file_and_is_repeatable(settings):
    key = private_file_save(b"x")
    private_file_delete(key)
    private_file_delete(key)
    assert stored_files(settings.PRIVATE_STORAGE_ROOT) == []
    with pytest.raises(PrivateFileMissing):
        private_file_read(key)


@pytest.mark.parametrize("key", ["../../etc/passwd", "a" * 63, "A" * 64, "", None, "/" + "a" * 63])
def test_a_key_can_never_name_another_path(key):
    with pytest.raises(PrivateFileMissing):
        private_file_read(key)


def test_private_root_inside_media_root_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "media" / "private"
    with pytest.raises(ImproperlyConfigured):
        private_file_save(b"x")


def test_configured_private_root_is_outside_media_root():
    from config.settings import base

    assert (
        not Path(base.PRIVATE_STORAGE_ROOT)
        .resolve()
        .is_relative_to(Path(base.MEDIA_ROOT).resolve())
    )


def test_atomic_file_and_row_are_both_kept_on_success(probe_model, settings):
    with atomic_private_file(SECRET) as key:
        probe_model.objects.create(file_key=key)

    row = probe_model.objects.get()
    assert private_file_read(row.file_key) == SECRET


def test_atomic_failure_in_the_block_leaves_neither_row_nor_file(probe_model, settings):
    with pytest.raises(IntegrityError), atomic_private_file(SECRET) as key:
        probe_model.objects.create(file_key=key)
        probe_model.objects.create(pk=probe_model.objects.get().pk)  # duplicate key

    assert probe_model.objects.count() == 0
    assert stored_files(settings.PRIVATE_STORAGE_ROOT) == []


def test_atomic_nested_failure_rolls_back_to_the_savepoint_only(probe_model, settings):
    with transaction.atomic():
        probe_model.objects.create(secret="kept")
        with pytest.raises(ValueError), atomic_private_file(SECRET) as key:
            probe_model.objects.create(file_key=key)
            raise ValueError("the service refused the upload")

    assert list(probe_model.objects.values_list("file_key", flat=True)) == [None]
    assert stored_files(settings.PRIVATE_STORAGE_ROOT) == []


def test_outer_rollback_orphan_is_removed_by_the_sweep(probe_model, settings):
    kept = private_file_save(b"kept")
    probe_model.objects.create(file_key=kept)
    with pytest.raises(RuntimeError), transaction.atomic():
        with atomic_private_file(SECRET) as orphan:
            probe_model.objects.create(file_key=orphan)
        raise RuntimeError("a later step of the service failed")
    assert set(private_file_keys()) == {kept, orphan}

    # Young files are left alone: their transaction may still be running.
    assert private_file_sweep(older_than_seconds=3600) == 0
    interrupted = Path(settings.PRIVATE_STORAGE_ROOT) / kept[:2] / ".tmp-crashed"
    interrupted.write_bytes(b"half a token")
    past = time.time() - 7200
    for path in stored_files(settings.PRIVATE_STORAGE_ROOT):
        os.utime(path, (past, past))
    out = StringIO()
    call_command("sweep_private_files", "--older-than-minutes=60", stdout=out)
    assert out.getvalue() == "1 unreferenced private file(s) deleted.\n"

    assert set(private_file_keys()) == {kept}
    assert private_file_read(kept) == b"kept"
    assert not interrupted.exists()


def test_delete_on_commit_waits_for_the_commit(probe_model, settings):
    key = private_file_save(b"evidence")
    row = probe_model.objects.create(file_key=key)

    with pytest.raises(RuntimeError), transaction.atomic():
        row.delete()
        private_file_delete_on_commit(key)
        raise RuntimeError("rolled back")
    assert private_file_read(key) == b"evidence"  # the row is back, so is its file
    assert probe_model.objects.filter(file_key=key).exists()

    with transaction.atomic():
        probe_model.objects.get().delete()
        private_file_delete_on_commit(key)
    assert stored_files(settings.PRIVATE_STORAGE_ROOT) == []


def test_download_response_is_a_safe_attachment():
    key = private_file_save(b"%PDF-1.4 ...")
    response = private_file_response(key, "report.pdf", "application/pdf")

    assert response.status_code == 200
    assert response.content == b"%PDF-1.4 ..."
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Length"] == "12"


def test_download_keeps_a_korean_name_and_cannot_inject_headers():
    key = private_file_save(b"text")
    response = private_file_response(key, '진술서 "최종";\r\nSet-Cookie: x=1.txt', "text/plain")

    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "\r" not in disposition and "\n" not in disposition
    ascii_part = disposition.split('filename="')[1].split('"')[0]
    assert ascii_part.isascii() and '"' not in ascii_part and ";" not in ascii_part
    assert (
        "filename*=UTF-8''%EC%A7%84%EC%88%A0%EC%84%9C%20%22%EC%B5%9C%EC%A2%85%22%3B" in disposition
    )
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_download_of_a_missing_file_raises_missing():
    with pytest.raises(PrivateFileMissing):
        private_file_response("0" * 64, "gone.pdf", "application/pdf")
