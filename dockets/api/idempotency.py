"""Idempotency-Key on every write: a client that retries after a timeout files once.

The first response to (token, key) is stored with a hash of the request; a retry with
the same key gets that response again, the same key with a different request is
refused (422), and a retry that arrives while the first is still running gets 409.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import BigIntegerField, OuterRef, Subquery, Value

from .errors import ApiError
from .models import ApiIdempotency
from .services import remember_response

MAX_KEY_LENGTH = 200


def request_hash(request) -> str:
    """SHA-256 over the method, path and content (multipart by fields and file digests,
    so a client that picks a new boundary on retry still matches)."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    if request.content_type == "multipart/form-data":
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                digest.update(f"{name}={value}\n".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                file_hash = hashlib.sha256()
                for chunk in upload.chunks():
                    file_hash.update(chunk)
                upload.seek(0)
                digest.update(f"{name}:{file_hash.hexdigest()}\n".encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def idempotency_key(request) -> str:
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if key and not all(32 < ord(c) < 127 for c in key):
        raise ApiError(
            422,
            "invalid",
            "The Idempotency-Key header may hold only visible ASCII characters.",
            {"Idempotency-Key": "Use letters, digits and punctuation."},
        )
    if len(key) > MAX_KEY_LENGTH:
        raise ApiError(
            422,
            "invalid",
            f"The Idempotency-Key header is longer than {MAX_KEY_LENGTH} characters.",
            {"Idempotency-Key": "Too long."},
        )
    return key


def well_formed_key(request) -> str:
    """The request's Idempotency-Key if it is one run_once accepts, else "" (run_once
    refuses a malformed one in plain words)."""
    try:
        return idempotency_key(request)
    except ApiError:
        return ""


def stored_response(key: str) -> Subquery | Value:
    """The id of the response stored for `key` and the token of the outer query, as
    an annotation: the token lookup (dockets.api.auth) answers run_once's question
    in its own query. NULL without a key."""
    if not key:
        return Value(None, output_field=BigIntegerField())
    return Subquery(
        ApiIdempotency.objects.filter(token=OuterRef("pk"), key=key).values("pk")[:1]
    )


def _stored(token, key: str) -> ApiIdempotency | None:
    """The response stored for (token, key): as the token lookup found it, or read."""
    lookup = token.idempotency_lookup
    if lookup is not None and lookup[0] == key:
        stored_id = lookup[1]
        if stored_id is None:
            return None
        return ApiIdempotency.objects.filter(pk=stored_id).first()
    return ApiIdempotency.objects.filter(token=token, key=key).first()


def service_key(request) -> str | None:
    """The key handed to the filing services (unique per token), or None."""
    key = idempotency_key(request)
    token = request.api_token
    return (
        f"api:{token.pk}:{hashlib.sha256(key.encode()).hexdigest()[:40]}"
        if key
        else None
    )


def run_once(request, write: Callable[[], tuple[int, dict]]) -> tuple[int, dict]:
    """Run `write` once per Idempotency-Key; return (status, body) of the first run.

    Without a key the write simply runs. Only successful responses are stored: a
    refused write saved nothing, so retrying it runs the checks again.
    """
    key = idempotency_key(request)
    if not key:
        return write()
    token = request.api_token
    fingerprint = request_hash(request)
    stored = _stored(token, key)
    if stored is not None:
        if stored.request_hash != fingerprint:
            raise ApiError(
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was already used for a different request. "
                "Use a new key for a new request.",
                {"Idempotency-Key": "Used before for a different request."},
            )
        return stored.status_code, stored.response
    lock = f"api-idem:{token.pk}:{hashlib.sha256(key.encode()).hexdigest()}"
    if not cache.add(lock, 1, timeout=300):
        raise ApiError(
            409,
            "in_progress",
            "A request with this Idempotency-Key is still being processed. Try again shortly.",
        )
    try:
        status, body = write()
        if 200 <= status < 300:
            remember_response(
                token=token,
                key=key,
                request_hash=fingerprint,
                status_code=status,
                body=body,
            )
        return status, body
    finally:
        cache.delete(lock)
