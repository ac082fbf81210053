"""Encrypt small sensitive values at rest (full SSNs, ITINs, EINs, claim codes).

MultiFernet over ECF_FIELD_ENCRYPTION_KEY (a list, newest first): the first key
encrypts, every key decrypts, so a new key goes first and `manage.py rotate_field_key`
re-encrypts old values. The key once derived from DJANGO_SECRET_KEY is always accepted
for decryption (and used to encrypt only when no key is configured, in development),
so values made before keys were set stay readable until rotated.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _derived_key() -> bytes:
    digest = hashlib.sha256(
        ("ecf-field-encryption:" + settings.SECRET_KEY).encode()
    ).digest()
    return base64.urlsafe_b64encode(digest)


def configured_keys() -> list[str]:
    keys = settings.ECF_FIELD_ENCRYPTION_KEY
    if isinstance(keys, str):
        keys = keys.split(",")
    return [k.strip() for k in keys if k and k.strip()]


def _fernet() -> MultiFernet:
    fernets = [Fernet(k.encode()) for k in configured_keys()]
    fernets.append(Fernet(_derived_key()))
    return MultiFernet(fernets)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""


def rotate(token: str) -> str:
    """Re-encrypt `token` with the first configured key (unchanged value)."""
    return _fernet().rotate(token.encode()).decode() if token else ""
