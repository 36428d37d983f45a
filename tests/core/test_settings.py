"""Settings refuse an insecure production configuration (CONTRACT.md section 1)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = "k" * 20 + "Zx9-" * 10  # 60 characters, not the placeholder


def load_settings(module: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIELD_"))}
    clean.update(env, DJANGO_SETTINGS_MODULE=module, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env, complaint",
    [
        ({}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": REAL_KEY}, "FIELD_ENCRYPTION_KEYS"),
        (
            {"DJANGO_SECRET_KEY": "insecure-development-key-never-use-in-production"},
            "DJANGO_SECRET_KEY",
        ),
        ({"DJANGO_SECRET_KEY": REAL_KEY, "FIELD_ENCRYPTION_KEYS": "not-a-key"}, "is invalid"),
    ],
)
@pytest.mark.parametrize("module", ["config.settings.production", "config.settings.dev"])
def test_debug_off_refuses_to_start_without_real_secrets(module, env, complaint):
    result = load_settings(module, DJANGO_DEBUG="0", **env)
    assert result.returncode != 0
    assert "Refusing to start" in result.stderr
    assert complaint in result.stderr
    assert "started" not in result.stdout


def test_production_starts_with_real_secrets():
    key = Fernet.generate_key().decode()
    result = load_settings(
        "config.settings.production",
        DJANGO_SECRET_KEY=REAL_KEY,
        FIELD_ENCRYPTION_KEYS=key,
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_check_deploy_reports_nothing():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIELD_"))}
    clean.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=REAL_KEY,
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DJANGO_ALLOWED_HOSTS="rights.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_and_channel_layer_follow_the_environment():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE']); print(s.CHANNEL_LAYERS['default']['BACKEND']);"
        "print(s.CACHES['default']['BACKEND'])"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env = {**clean, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    default = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert default.stdout.split() == [
        "django.db.backends.sqlite3",
        "channels.layers.InMemoryChannelLayer",
        "django.core.cache.backends.locmem.LocMemCache",
    ], default.stderr
    scaled = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **env,
            "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
        capture_output=True,
        text=True,
    )
    assert scaled.stdout.split() == [
        "core.db_postgresql",  # Django's, with connections that heal
        "core.channel_layer.RedisChannelLayer",
        "core.cache_backends.FailSoftRedisCache",  # Django's, failing soft
    ], scaled.stderr
