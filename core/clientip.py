"""The client's address: the one answer every rate limit, log and lock uses.

Behind N trusted proxies (ECF_TRUSTED_PROXY_COUNT, the TLS proxy in production), the
client is the N-th address from the right of X-Forwarded-For: each proxy appends the
address it received from, so addresses left of that were written by the client and
are not trusted. With 0 (no proxy), REMOTE_ADDR. A header too short for the count
falls back to REMOTE_ADDR, so a request that skipped the proxy cannot pick its own
address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> str:
    address = address.strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def client_ip(request) -> str:
    """The client's IP address as the court's trusted proxies saw it ("" if unknown)."""
    meta = getattr(request, "META", request)
    remote = _valid(meta.get("REMOTE_ADDR", ""))
    count = int(getattr(settings, "ECF_TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    forwarded = [
        part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    return _valid(forwarded[-count]) or remote


def client_ip_for_ratelimit(group, request) -> str:
    """django-ratelimit's `key` callable form (group, request) -> key."""
    return client_ip(request) or "unknown"
