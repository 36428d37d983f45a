"""Private files (complaint evidence): encrypted at rest, stored under random
names in PRIVATE_STORAGE_ROOT, which is outside MEDIA_ROOT and never served by
the web server. The only way out is a view that checks access and answers with
`private_file_response`.

A file and the database row that points to it must live and die together:
write the row inside `atomic_private_file`, remove it with
`private_file_delete_on_commit`, and let `private_file_sweep` (run from a
scheduler) remove what a crash or an outer rollback left behind.
"""

import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.http import HttpResponse

from . import crypto

__all__ = [
    "PrivateFileKeyField",
    "PrivateFileMissing",
    "atomic_private_file",
    "content_disposition",
    "private_file_delete",
    "private_file_delete_on_commit",
    "private_file_keys",
    "private_file_read",
    "private_file_response",
    "private_file_save",
    "private_file_sweep",
    "private_root",
]

_KEY = re.compile(r"^[0-9a-f]{64}$")


class PrivateFileMissing(FileNotFoundError):
    """No private file under this key (never stored, deleted, or purged)."""


class PrivateFileKeyField(models.CharField):
    """A model field holding a private file's storage key. Declaring keys with
    this field lets `private_file_sweep` find every file still in use."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


def private_root() -> Path:
    root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    for public in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = getattr(settings, public, None)
        if served and root.is_relative_to(Path(served).resolve()):
            raise ImproperlyConfigured(
                f"PRIVATE_STORAGE_ROOT must not be inside {public}: it would be served publicly."
            )
    return root


def _path(key: str) -> Path:
    if not isinstance(key, str) or not _KEY.match(key):
        # Keys come from our own database, but never let one name another path.
        raise PrivateFileMissing(key)
    return private_root() / key[:2] / key


def _write_atomically(path: Path, payload: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)  # readers see the old file or the new, never half
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def private_file_save(data: bytes) -> str:
    """Encrypt and store `data`; return its storage key (64 hex characters)."""
    key = secrets.token_hex(32)
    _write_atomically(_path(key), crypto.encrypt(data))
    return key


def private_file_read(key: str) -> bytes:
    """The decrypted content, or PrivateFileMissing."""
    try:
        token = _path(key).read_bytes()
    except FileNotFoundError as exc:
        raise PrivateFileMissing(key) from exc
    return crypto.decrypt(token)


def private_file_delete(key: str) -> None:
    """Remove the file; a missing file is not an error (deleting twice is fine)."""
    try:
        _path(key).unlink(missing_ok=True)
    except PrivateFileMissing:
        pass


def private_file_delete_on_commit(key: str, *, using: str | None = None) -> None:
    """Delete the file once the transaction that deletes its row commits; if
    that transaction rolls back, row and file both stay."""
    transaction.on_commit(lambda: private_file_delete(key), using=using)


@contextmanager
def atomic_private_file(data: bytes, *, using: str | None = None) -> Iterator[str]:
    """Store `data` and yield its key; write the row that references it in the
    block. The block runs in a transaction (a savepoint when nested):

        with atomic_private_file(upload.data) as key:
            Attachment.objects.create(complaint=c, storage_key=key, ...)

    The file is on disk (fsynced) before the row can exist, so no row is ever
    without its file. If the block raises, or its commit fails, the row is
    rolled back and the file deleted, so no orphan is left. Use it as the
    outermost atomic block of the service: if an OUTER transaction rolls back
    later, the file cannot be removed at that moment (Django has no rollback
    hook) and `private_file_sweep` removes it on its next run.
    """
    key = private_file_save(data)
    try:
        with transaction.atomic(using=using):
            yield key
    except BaseException:
        private_file_delete(key)
        raise


def private_file_keys() -> Iterator[str]:
    """Every key stored under PRIVATE_STORAGE_ROOT."""
    root = private_root()
    if not root.is_dir():
        return
    for path in root.glob("??/*"):
        if _KEY.match(path.name) and path.parent.name == path.name[:2]:
            yield path.name


def _referenced_keys() -> set[str]:
    referenced: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, PrivateFileKeyField):
                values = model._base_manager.exclude(**{f"{field.attname}__isnull": True})
                referenced.update(values.values_list(field.attname, flat=True).iterator())
    return referenced


def private_file_sweep(
    *, older_than_seconds: int = 3600, referenced: Iterable[str] | None = None
) -> int:
    """Delete files that no `PrivateFileKeyField` references and that are older
    than the grace period (so a transaction still in flight keeps its file),
    and half-written temporary files. Returns how many stored files were deleted."""
    # Read the keys in use AFTER choosing the cut-off: a file saved later is
    # too young to be swept whatever the database says.
    cutoff = time.time() - older_than_seconds
    in_use = set(referenced) if referenced is not None else _referenced_keys()
    deleted = 0
    root = private_root()
    for leftover in root.glob("??/.tmp-*") if root.is_dir() else ():
        # A write interrupted by a crash: never renamed, never referenced.
        if leftover.stat().st_mtime <= cutoff:
            leftover.unlink(missing_ok=True)
    for key in list(private_file_keys()):
        path = _path(key)
        try:
            if key in in_use or path.stat().st_mtime > cutoff:
                continue
        except FileNotFoundError:
            continue
        private_file_delete(key)
        deleted += 1
    return deleted


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the exact name per RFC 6266 /
    RFC 5987 (filename*), so Korean names survive and nothing can break out of
    the header."""
    ascii_name = (
        "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;%' else "_" for ch in filename).strip()
        or "download"
    )
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def private_file_response(key: str, filename: str, content_type: str) -> HttpResponse:
    """A download of the decrypted file. Check access BEFORE calling this; a
    missing file raises PrivateFileMissing (answer it with 404)."""
    data = private_file_read(key)
    if content_type == "text/plain":
        content_type = "text/plain; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    # Should the file ever be opened in the browser, it can run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Referrer-Policy"] = "no-referrer"
    return response
