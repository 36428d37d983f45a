import pytest
from django.apps import apps
from django.db import connection, models

from core.fields import EncryptedEmailField, EncryptedTextField
from core.private_storage import PrivateFileKeyField


@pytest.fixture
def probe_model(transactional_db):
    """A real model with encrypted columns and a private file key, registered
    in the app registry (so generic discovery finds it) and given a table for
    this test only: no migration is needed and nothing outlives the test."""

    class Probe(models.Model):
        secret = EncryptedTextField(null=True)
        email = EncryptedEmailField(blank=True, default="")
        file_key = PrivateFileKeyField(null=True, blank=True)

        class Meta:
            app_label = "core"

        def __str__(self):
            return f"probe {self.pk}"

    with connection.schema_editor() as editor:
        editor.create_model(Probe)
    try:
        yield Probe
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Probe)
        del apps.all_models["core"]["probe"]
        apps.clear_cache()
