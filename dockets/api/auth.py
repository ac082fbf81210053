"""Who is calling: a personal API token (Bearer), or nobody (public reads are free).

Threat model: tokens are looked up by their SHA-256 digest only; an unknown, expired
or revoked token is refused with the same 401, so probing reveals nothing. Rate
limits count per token, or per client address without one (a lower limit).
"""

from __future__ import annotations

import datetime as dt
import threading
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from .errors import ApiError
from .models import ApiToken
from .services import PRACTICE_TOKEN_PREFIX, token_digest

# Per minute. Reading is free but shared: anonymous callers get the lower limit.
DEFAULT_TOKEN_RATE = 120
DEFAULT_ANON_RATE = 30


class TokenAuth(HttpBearer):
    """Authorization: Bearer ecf_… (a personal API token)."""

    def authenticate(self, request, token: str) -> ApiToken:
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token.strip()))
            .first()
        )
        now = timezone.now()
        if (
            row is None
            or row.revoked_at is not None
            or row.expires_at <= now
            or not row.user.is_active
        ):
            if token.startswith(PRACTICE_TOKEN_PREFIX) and not settings.ECF_IS_TRAINING:
                raise ApiError(
                    401,
                    "practice_token",
                    "This is a practice token from the training instance (the sandbox); "
                    "it works only there. Make a token on the live instance.",
                )
            raise ApiError(
                401,
                "invalid_token",
                "The API token is not valid: it is unknown, expired or revoked.",
            )
        if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.api_token = row
        return row


class Anonymous:
    """The caller without a token (truthy, so ninja accepts it as authenticated)."""

    user = AnonymousUser()
    pk = None


ANONYMOUS = Anonymous()


def anonymous(request):
    """Accept a request with no Authorization header as the public."""
    if request.headers.get("Authorization"):
        raise ApiError(
            401,
            "invalid_token",
            "Send the API token as 'Authorization: Bearer <token>'.",
        )
    request.api_token = None
    return ANONYMOUS


token_auth = TokenAuth()
READ_AUTH = [token_auth, anonymous]
WRITE_AUTH = [token_auth]


def viewer(request):
    """The user the request acts as (AnonymousUser without a token)."""
    token = getattr(request, "api_token", None)
    return token.user if token is not None else AnonymousUser()


def require_scope(request, scope: str) -> ApiToken:
    """Return the request's token if it carries `scope`; else a 403 in plain words."""
    token = getattr(request, "api_token", None)
    if token is None:
        raise ApiError(401, "unauthenticated", "This needs an API token.")
    if scope not in token.scopes:
        raise ApiError(
            403,
            "scope_missing",
            f"This token lacks the '{scope}' scope. Make a token with it on the API tokens page.",
        )
    return token


class ApiRateLimit(BaseThrottle):
    """A fixed one-minute window counted in the cache, per token or per client address."""

    _local = threading.local()

    def allow_request(self, request) -> bool:
        token = getattr(request, "api_token", None)
        if token is not None:
            ident = f"t{token.pk}"
            limit = getattr(
                settings, "ECF_API_TOKEN_RATE_PER_MINUTE", DEFAULT_TOKEN_RATE
            )
        else:
            ident = f"a{self.get_ident(request)}"
            limit = getattr(settings, "ECF_API_ANON_RATE_PER_MINUTE", DEFAULT_ANON_RATE)
        now = time.time()
        key = f"api-rate:{ident}:{int(now // 60)}"
        cache.add(key, 0, timeout=90)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=90)
            count = 1
        self._local.wait = 60 - (now % 60)
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self._local, "wait", 60)
