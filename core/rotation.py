"""Re-encryption under the current key after FIELD_ENCRYPTION_KEYS changed:
every encrypted column of every installed model and every private file.

Values are read and written raw (ciphertext to ciphertext), in batches, each
update guarded by the old value so a concurrent edit is never overwritten.
Values already under the current key are skipped, so running it again, or
after an interruption, is safe.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections, models, transaction

from . import crypto
from .fields import EncryptedTextField, KeyedHashField
from .private_storage import _path, _write_atomically, private_file_keys

__all__ = [
    "RotationResult",
    "encrypted_fields",
    "keyed_hash_fields",
    "rehash_field",
    "rotate_field",
    "rotate_private_files",
]


@dataclass
class RotationResult:
    rotated: int = 0
    current: int = 0  # already under the first key: left untouched
    unreadable: list = field(default_factory=list)  # ids no key decrypts


def encrypted_fields() -> Iterator[tuple[type[models.Model], models.Field]]:
    """Every concrete encrypted field of every installed model (EncryptedEmailField
    is a subclass of EncryptedTextField)."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.local_concrete_fields:
            if isinstance(model_field, EncryptedTextField):
                yield model, model_field


def _rotate_token(token: bytes, result: RotationResult, ident) -> bytes | None:
    if crypto.encrypted_with_current_key(token):
        result.current += 1
        return None
    try:
        rotated = crypto.rotate(token)
    except crypto.InvalidToken:
        result.unreadable.append(ident)
        return None
    result.rotated += 1
    return rotated


def rotate_field(
    model: type[models.Model],
    model_field: models.Field,
    *,
    batch_size: int = 500,
    using: str = "default",
) -> RotationResult:
    connection = connections[using]
    quote = connection.ops.quote_name
    table, pk, column = (
        quote(model._meta.db_table),
        quote(model._meta.pk.column),
        quote(model_field.column),
    )
    # Identifiers come from model metadata and are quoted; values are parameters.
    select = f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL"  # noqa: S608
    update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608
    result = RotationResult()
    last_pk = None
    while True:
        with connection.cursor() as cursor:
            if last_pk is None:
                cursor.execute(f"{select} ORDER BY {pk} LIMIT %s", [batch_size])
            else:
                cursor.execute(
                    f"{select} AND {pk} > %s ORDER BY {pk} LIMIT %s", [last_pk, batch_size]
                )
            rows = cursor.fetchall()
        if not rows:
            return result
        changes = []
        for row_pk, token in rows:
            rotated = _rotate_token(token.encode("ascii"), result, row_pk)
            if rotated is not None:
                changes.append((rotated.decode("ascii"), row_pk, token))
        if changes:
            with transaction.atomic(using=using), connection.cursor() as cursor:
                cursor.executemany(update, changes)
        last_pk = rows[-1][0]


def rotate_private_files() -> RotationResult:
    result = RotationResult()
    for key in private_file_keys():
        path = _path(key)
        try:
            token = path.read_bytes()
        except FileNotFoundError:
            continue  # deleted meanwhile
        rotated = _rotate_token(token, result, key)
        if rotated is not None:
            _write_atomically(path, rotated)
    return result


def keyed_hash_fields() -> Iterator[tuple[type[models.Model], KeyedHashField]]:
    """Every keyed-hash column of every installed model."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.local_concrete_fields:
            if isinstance(model_field, KeyedHashField):
                yield model, model_field


def rehash_field(
    model: type[models.Model],
    model_field: KeyedHashField,
    *,
    batch_size: int = 500,
    using: str = "default",
) -> RotationResult:
    """Hash again, under the current key, each value of a keyed-hash column
    from its (decrypted) source; values already current are left alone.
    Each update is guarded by the old hash, like rotate_field."""
    result = RotationResult()
    manager = model._default_manager.using(using)
    rows = (
        manager.filter(**{f"{model_field.name}__isnull": False})
        .order_by("pk")
        .values_list("pk", model_field.attname, model_field.source)
    )
    for row_pk, old, source in rows.iterator(chunk_size=batch_size):
        if not source:
            result.unreadable.append(row_pk)
            continue
        new = model_field.hash_of(source)
        if new == old:
            result.current += 1
            continue
        manager.filter(**{"pk": row_pk, model_field.attname: old}).update(
            **{model_field.attname: new}
        )
        result.rotated += 1
    return result
