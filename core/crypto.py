"""Encrypt small sensitive values at rest (full SSNs, ITINs, EINs) with Fernet."""

import base64
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings


def _fernet() -> Fernet:
    key = settings.ECF_FIELD_ENCRYPTION_KEY
    if not key:
        digest = hashlib.sha256(
            ("ecf-field-encryption:" + settings.SECRET_KEY).encode()
        ).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""
