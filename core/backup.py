"""Backup and restore (docs/operations.md, "Backup and restore drill").

A backup is a folder with the database (`database.dump`: pg_dump's custom
format, or a copy of the SQLite file made with SQLite's online backup) and the
files (`private.tar.gz`: complaint evidence, already encrypted at rest;
`media.tar.gz`: public images and documents). The keys are never in it:
`--keys-to` writes the encryption keys and the secret key (receipts are keyed
hashes under it) to a separate file, to be kept somewhere else
(without the keys, the database and evidence are unreadable; with both in one
place, a stolen backup is a stolen case file).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection

DATABASE_FILE = "database.dump"
MANIFEST = "manifest.json"
TREES = {"private.tar.gz": "PRIVATE_STORAGE_ROOT", "media.tar.gz": "MEDIA_ROOT"}


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def backup(destination: Path, *, keys_to: Path | None = None) -> Path:
    destination.mkdir(parents=True, exist_ok=False)
    os.chmod(destination, 0o700)
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        subprocess.run(  # noqa: S603 - fixed arguments from settings, no shell
            [  # noqa: S607 - PostgreSQL's client tools, from PATH like psql
                "pg_dump",
                *args,
                "-Fc",
                "--no-owner",
                "-f",
                str(destination / DATABASE_FILE),
                db["NAME"],
            ],
            check=True,
            env=env,
        )
    else:
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(destination / DATABASE_FILE)
        with target:
            source.backup(target)
        source.close()
        target.close()
    for name, setting in TREES.items():
        root = Path(getattr(settings, setting))
        with tarfile.open(destination / name, "w:gz") as archive:
            if root.exists():
                archive.add(root, arcname=".")
    (destination / MANIFEST).write_text(json.dumps({"vendor": connection.vendor}))
    if keys_to is not None:
        # SECRET_KEY too: receipts are stored as HMACs under it, so a restore
        # with another secret key would leave every receipt unable to open its case.
        keys_to.write_text(
            f"DJANGO_SECRET_KEY={settings.SECRET_KEY}\n"
            f"FIELD_ENCRYPTION_KEYS={','.join(settings.FIELD_ENCRYPTION_KEYS)}\n"
        )
        os.chmod(keys_to, 0o600)
    return destination


def restore(source: Path) -> None:
    """Into the configured database (it must be empty: a fresh one) and file folders."""
    vendor = json.loads((source / MANIFEST).read_text())["vendor"]
    if vendor != connection.vendor:
        raise ValueError(f"this backup is of a {vendor} database")
    db = connection.settings_dict
    if vendor == "postgresql":
        args, env = _pg_env(db)
        subprocess.run(  # noqa: S603 - fixed arguments from settings, no shell
            [  # noqa: S607 - PostgreSQL's client tools, from PATH like psql
                "pg_restore",
                *args,
                "--no-owner",
                "--exit-on-error",
                "-d",
                db["NAME"],
                str(source / DATABASE_FILE),
            ],
            check=True,
            env=env,
        )
    else:
        connection.close()
        shutil.copyfile(source / DATABASE_FILE, db["NAME"])
    for name, setting in TREES.items():
        root = Path(getattr(settings, setting))
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / name, "r:gz") as archive:
            archive.extractall(root, filter="data")
