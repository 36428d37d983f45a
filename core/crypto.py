"""Encryption at rest with keys from FIELD_ENCRYPTION_KEYS.

The first key encrypts; every key decrypts, so a new key can be put first and
the old one removed once `manage.py rotate_encryption` has re-encrypted the data.
Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`: no hand-rolled crypto.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = [
    "InvalidToken",
    "decrypt",
    "encrypt",
    "encrypted_with_current_key",
    "fernet",
    "keyed_hash",
    "keyed_hashes",
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
        _hash_keys.cache_clear()


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


# --- keyed hashes (blind indexes) ------------------------------------------------
# A column that must be found by equality but must not be readable in a dump
# (the account of a named complaint) holds HMAC-SHA256(k, purpose || value).
# k is derived with HKDF from each FIELD_ENCRYPTION_KEYS entry under its own
# label, so it is never the encryption key itself and it rotates with the keys:
# a lookup asks for the hash under every key (`keyed_hashes`), new values get
# the first key's (`keyed_hash`), and `manage.py rotate_encryption` re-hashes
# old rows from their encrypted source (core.rotation).

_HASH_LABEL = b"hrc keyed hash v1"


@lru_cache(maxsize=1)
def _hash_keys() -> tuple[bytes, ...]:
    keys = []
    for key in settings.FIELD_ENCRYPTION_KEYS:
        raw = base64.urlsafe_b64decode(key.strip().encode() if isinstance(key, str) else key)
        keys.append(
            HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HASH_LABEL).derive(raw)
        )
    if not keys:
        raise ValueError("FIELD_ENCRYPTION_KEYS is empty")
    return tuple(keys)


def _hash(key: bytes, purpose: str, value: str) -> str:
    message = purpose.encode() + b"\x00" + value.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def keyed_hash(purpose: str, value: str) -> str:
    """The keyed hash of `value` for `purpose` under the current (first) key."""
    return _hash(_hash_keys()[0], purpose, value)


def keyed_hashes(purpose: str, value: str) -> list[str]:
    """The keyed hash under every key, current first: what a lookup matches
    while rows hashed under an older key have not been rotated yet."""
    return list(dict.fromkeys(_hash(key, purpose, value) for key in _hash_keys()))
