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
