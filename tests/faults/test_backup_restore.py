"""The backup and restore drill (docs/operations.md): `manage.py backup` of a
database with a case, its receipt and its evidence, restored by `manage.py
restore` into a fresh database and empty file folders by another process that
holds only the keys file (encryption keys and the secret key, under which
receipts are hashed): the case decrypts, the receipt opens it, the
attachment downloads."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
DESCRIPTION = "The clinic refused to book an interpreter."
EVIDENCE = b"Letter from the clinic, 3 November.\n"

PROBE = """
import django, json, sys
django.setup()
from django.test import Client
client = Client()
receipt, reference, url = sys.argv[1:4]
opened = client.post("/api/v1/complaints/status", {"receipt": receipt},
                     content_type="application/json")
detail = client.get(f"/api/v1/complaints/{reference}")
case = detail.json() if detail.status_code == 200 else {"status_code": detail.status_code,
                                                        "body": detail.content.decode()[:300]}
download = client.get(url)
print(json.dumps({"opened": opened.status_code, "reference": opened.json().get("reference"),
                  "description": case.get("description", case),
                  "download": download.status_code,
                  "content": b"".join(download).decode() if download.status_code == 200 else ""}))
"""


def _admin(sql: str) -> None:
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(sql)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_and_folders(tmp_path, settings):
    client = Client()
    filed = client.post(
        "/api/v1/complaints",
        {"grounds": ["disability"], "description": DESCRIPTION, "anonymous": True},
        content_type="application/json",
    ).json()
    client.post("/api/v1/complaints/status", {"receipt": filed["receipt"]}, "application/json")
    upload = SimpleUploadedFile("letter.txt", EVIDENCE, content_type="text/plain")
    attached = client.post(f"/api/v1/complaints/{filed['reference']}/attachments", {"file": upload})
    assert attached.status_code == 201

    keys = tmp_path / "keys.env"
    call_command("backup", str(tmp_path / "backup"), keys_to=keys)
    assert set(dict(line.split("=", 1) for line in keys.read_text().splitlines())) == {
        "DJANGO_SECRET_KEY",
        "FIELD_ENCRYPTION_KEYS",
    }
    for path in (tmp_path / "backup").iterdir():  # the keys are not in the backup
        assert settings.FIELD_ENCRYPTION_KEYS[0].encode() not in path.read_bytes()

    fresh = f"hrc_faults_restore_{secrets.token_hex(4)}"
    _admin(f'CREATE DATABASE "{fresh}"')
    try:
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{fresh}",
            "PRIVATE_STORAGE_ROOT": str(tmp_path / "restored" / "private"),
            "MEDIA_ROOT": str(tmp_path / "restored" / "media"),
            # Only what the keys file says: the drill proves that file is enough.
            **dict(line.split("=", 1) for line in keys.read_text().splitlines()),
        }

        def run(*args: str) -> str:
            result = subprocess.run(
                [sys.executable, *args],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert result.returncode == 0, result.stderr[-3000:]
            return result.stdout

        run("manage.py", "restore", str(tmp_path / "backup"))
        seen = json.loads(
            run(
                "-c", PROBE, filed["receipt"], filed["reference"], attached.json()["url"]
            ).splitlines()[-1]
        )
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
    assert seen == {
        "opened": 200,
        "reference": filed["reference"],
        "description": DESCRIPTION,
        "download": 200,
        "content": EVIDENCE.decode(),
    }
