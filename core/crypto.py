"""Encryption at rest with keys from FIELD_ENCRYPTION_KEYS.

The first key encrypts; every key decrypts, so a new key can be put first and
the old one removed once `manage.py rotate_encryption` has re-encrypted the data.
Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`: no hand-rolled crypto.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = [
    "InvalidToken",
    "decrypt",
    "encrypt",
    "encrypted_with_current_key",
    "fernet",
    "rotate",
    "validate_keys",
]


def validate_keys(keys) -> list[Fernet]:
    """Return Fernet objects for the keys, or raise ValueError naming the bad one."""
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.strip().encode() if isinstance(key, str) else key))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"key {position} is not a valid Fernet key") from exc
    return fernets


@lru_cache(maxsize=1)
def fernet() -> MultiFernet:
    keys = validate_keys(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        raise ValueError("FIELD_ENCRYPTION_KEYS is empty")
    return MultiFernet(keys)


@receiver(setting_changed)
def _reset_keys(*, setting, **kwargs) -> None:
    if setting == "FIELD_ENCRYPTION_KEYS":
        fernet.cache_clear()


def encrypt(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    return fernet().decrypt(token)


def rotate(token: bytes) -> bytes:
    """Re-encrypt a token under the first (current) key."""
    return fernet().rotate(token)


def encrypted_with_current_key(token: bytes) -> bool:
    """True when the first (current) key decrypts the token, so rotation can
    leave it alone: this is what makes re-running rotation a no-op."""
    [current] = validate_keys(settings.FIELD_ENCRYPTION_KEYS[:1]) or [None]
    if current is None:
        raise ValueError("FIELD_ENCRYPTION_KEYS is empty")
    try:
        current.decrypt(token)
    except InvalidToken:
        return False
    return True
