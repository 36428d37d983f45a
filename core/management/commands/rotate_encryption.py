"""manage.py rotate_encryption: after putting a new key FIRST in
FIELD_ENCRYPTION_KEYS, re-encrypt everything under it; then the old key can
be removed. Safe to run again: values already under the new key are skipped."""

from django.core.management.base import BaseCommand, CommandError

from core.rotation import (
    encrypted_fields,
    keyed_hash_fields,
    rehash_field,
    rotate_field,
    rotate_private_files,
)


class Command(BaseCommand):
    help = "Re-encrypt encrypted columns and private files under the first key."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--database", default="default")

    def handle(self, *args, batch_size, database, **options):
        unreadable = 0
        for model, field in encrypted_fields():
            result = rotate_field(model, field, batch_size=batch_size, using=database)
            unreadable += len(result.unreadable)
            self.stdout.write(
                f"{model._meta.label}.{field.name}: {result.rotated} re-encrypted, "
                f"{result.current} already current, {len(result.unreadable)} unreadable"
            )
        # After the columns: a keyed hash is computed from its decrypted source.
        for model, field in keyed_hash_fields():
            result = rehash_field(model, field, batch_size=batch_size, using=database)
            unreadable += len(result.unreadable)
            self.stdout.write(
                f"{model._meta.label}.{field.name}: {result.rotated} hashed again, "
                f"{result.current} already current, {len(result.unreadable)} without source"
            )
        files = rotate_private_files()
        unreadable += len(files.unreadable)
        self.stdout.write(
            f"private files: {files.rotated} re-encrypted, {files.current} already current, "
            f"{len(files.unreadable)} unreadable"
        )
        if unreadable:
            # Identifiers only, never values: the output may end up in a log.
            raise CommandError(
                f"{unreadable} value(s) could not be decrypted by any key in "
                "FIELD_ENCRYPTION_KEYS; keep the old keys until this is resolved."
            )
