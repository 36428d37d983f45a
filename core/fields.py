"""Model fields whose values are encrypted at rest (see core.crypto)."""

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token. Not searchable or orderable by design:
    a database dump reveals nothing of the value."""

    description = "Text encrypted at rest"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return crypto.encrypt(str(value).encode()).decode("ascii")

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return crypto.decrypt(value.encode("ascii")).decode()

    def get_lookup(self, lookup_name):
        # Comparing ciphertexts is meaningless (every encryption is randomised).
        if lookup_name not in {"isnull"}:
            return None
        return super().get_lookup(lookup_name)


class EncryptedEmailField(EncryptedTextField):
    """An e-mail address encrypted at rest; validated like an EmailField in forms."""

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"form_class": forms.EmailField, **kwargs})


class KeyedHashField(models.CharField):
    """A keyed hash (core.crypto.keyed_hash) of the value held, encrypted, in
    the model's `source` field: found by equality, unreadable in a dump.
    `manage.py rotate_encryption` re-hashes it from the source under the
    current key (core.rotation.rehash_field)."""

    description = "Keyed hash of an encrypted value"

    def __init__(self, *args, purpose: str = "", source: str = "", **kwargs):
        self.purpose, self.source = purpose, source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"], kwargs["source"] = self.purpose, self.source
        return name, path, args, kwargs

    def hash_of(self, value: str) -> str:
        return crypto.keyed_hash(self.purpose, value)

    def hashes_of(self, value: str) -> list[str]:
        return crypto.keyed_hashes(self.purpose, value)
