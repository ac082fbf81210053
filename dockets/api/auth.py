"""Who is calling: a personal API token (Bearer), or nobody (public reads are free).

Threat model: tokens are looked up by their SHA-256 digest only; an unknown, expired
or revoked token is refused with the same 401, so probing reveals nothing; so is the
token of a filer who is no longer active (suspended, revoked), at once. A token reads
only with the `read` scope. Rate limits (django-ninja's throttles) count per token, or
per client address without one (a lower limit), the address from core.clientip.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle, SimpleRateThrottle
from redis.commands.core import Script

from core.clientip import client_ip
from core.compiled_lookup import CompiledLookup
from dockets.fees import fees_overdue, overdue_cutoff, remember_fees_overdue
from filers.permissions import is_active_filer, mfa_enrolled, remember_mfa

from .errors import ApiError
from .idempotency import stored_response, well_formed_key
from .models import ApiToken
from .services import PRACTICE_TOKEN_PREFIX, token_digest

# Per minute. Reading is free but shared: anonymous callers get the lower limit.
DEFAULT_TOKEN_RATE = 120
DEFAULT_ANON_RATE = 30


def token_query(
    *, shape: str, digest: str, key: str, cutoff: dt.datetime
) -> QuerySet[ApiToken]:
    """The token with `digest`, its user, the user's filer account, whether two-factor
    is set up (what is_active_filer asks), whether a fee charged before `cutoff` is
    unpaid (the filing lockout) and, in the "key" shape, the id of the response stored
    for the Idempotency-Key `key` (dockets.api.idempotency.run_once)."""
    return (
        ApiToken.objects.select_related("user__filer")
        .annotate(
            user_has_mfa=mfa_enrolled("user_id"),
            user_fees_overdue=fees_overdue("user_id", cutoff),
            stored_response_id=stored_response(key if shape == "key" else ""),
        )
        .filter(digest=digest)
    )


# Every API request looks its token up: compiled once per process
# (core.compiled_lookup), it costs the running of the query, not the ~2.5 ms the
# ORM spent compiling it.
_TOKEN = CompiledLookup(
    token_query,
    {
        "digest": "ecf-placeholder-token-digest",
        "key": "ecf-placeholder-idempotency-key",
        "cutoff": dt.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=dt.UTC),
    },
    optional=frozenset({"key"}),
)


class TokenAuth(HttpBearer):
    """Authorization: Bearer ecf_… (a personal API token)."""

    def authenticate(self, request, token: str) -> ApiToken:
        # One query: the token, its user, the user's filer account, whether
        # two-factor is set up (what is_active_filer asks) and whether a fee is
        # overdue (the filing lockout), remembered on this request's user object.
        # A write with an Idempotency-Key: the same query finds the response stored
        # for that key, if any (dockets.api.idempotency.run_once).
        key = well_formed_key(request) if request.method != "GET" else ""
        row = _TOKEN.first(
            "key" if key else "plain",
            digest=token_digest(token.strip()),
            key=key,
            cutoff=overdue_cutoff(),
        )
        if row is not None:
            # The annotations of token_query (the stubs do not see them on a row
            # the compiled query made).
            answers = row.__dict__
            remember_mfa(row.user, answers["user_has_mfa"])
            remember_fees_overdue(row.user, answers["user_fees_overdue"])
            row.idempotency_lookup = (
                (key, answers["stored_response_id"]) if key else None
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
        if row.user.filer_or_none is not None and not is_active_filer(row.user):
            # A suspended or revoked filer's tokens stop at once (filers.permissions).
            raise ApiError(
                401,
                "invalid_token",
                "The API token is not valid: its filer account is not in good standing "
                "(suspended, revoked or without two-factor). Contact the clerk's office.",
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


class ScopedTokenAuth(TokenAuth):
    """A token that must carry `scope`, checked with authentication, before the body is
    read: a token without the scope gets 403 scope_missing, never a validation error."""

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token: str) -> ApiToken:
        row = super().authenticate(request, token)
        require_scope(request, self.scope)
        return row


token_auth = TokenAuth()
READ_AUTH = [token_auth, anonymous]
WRITE_AUTH = [token_auth]
FILE_AUTH = [ScopedTokenAuth(ApiToken.Scope.FILE)]
CLAIMS_AUTH = [ScopedTokenAuth(ApiToken.Scope.CLAIMS)]


def viewer(request):
    """The user a read acts as: AnonymousUser without a token; with a token, its user,
    and only if the token carries the `read` scope (otherwise a 403 in plain words)."""
    token = getattr(request, "api_token", None)
    if token is None:
        return AnonymousUser()
    require_scope(request, ApiToken.Scope.READ)
    return token.user


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


# A sliding window of one minute in one Redis round trip (issue 21: a get and a set
# before, two round trips and a pickled list of up to `limit` times on every API
# request). The window is a sorted set of request times: drop the times older than
# the window, count the rest, and if under the limit add this request and renew the
# key's expiry; a refused request is not counted (as django-ninja's throttle). Answers
# {allowed, count, score of the time whose leaving frees a place}.
SLIDING_WINDOW_LUA = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count >= limit then
  local frees = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
  return {0, count, frees[2] or ARGV[1]}
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('EXPIRE', key, window + 1)
return {1, count + 1, ARGV[1]}
"""


class _SettingsRateThrottle(SimpleRateThrottle):
    """A sliding-window throttle (one Redis round trip: SLIDING_WINDOW_LUA), its rate
    read from a setting per request (so a court can change it without code) and keyed
    by the one client address (core.clientip, ECF_TRUSTED_PROXY_COUNT), never by a
    header the client wrote. Its counters live in the cache's Redis under the cache's
    key prefix."""

    setting = ""
    default = 0
    cache_format = "ecf-api-throttle:%(scope)s:%(ident)s"
    _script: Script | None = None

    def __init__(self):
        super().__init__(rate="1/min")
        self._state = threading.local()

    def allow_request(self, request) -> bool:
        limit = int(getattr(settings, self.setting, self.default))
        window = 60
        key = self.get_cache_key(request)
        if key is None:
            return True
        key = cache.make_and_validate_key(key)
        # Django's RedisCacheClient; the stubs leave the attribute out.
        client = cache._cache.get_client(key, write=True)  # type: ignore[attr-defined]
        script = _SettingsRateThrottle._script
        if script is None:
            script = _SettingsRateThrottle._script = client.register_script(
                SLIDING_WINDOW_LUA
            )
        now = time.time()
        allowed, _count, frees_at = script(
            keys=[key],
            args=[repr(now), window, limit, f"{now!r}:{secrets.token_hex(6)}"],
            client=client,
        )
        self._state.wait = max(float(frees_at) + window - now, 0.0)
        return bool(allowed)

    def wait(self) -> float | None:
        return getattr(self._state, "wait", None)

    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"


class TokenRateThrottle(_SettingsRateThrottle):
    """Per token (ECF_API_TOKEN_RATE_PER_MINUTE)."""

    scope = "token"
    setting = "ECF_API_TOKEN_RATE_PER_MINUTE"
    default = DEFAULT_TOKEN_RATE

    def get_cache_key(self, request):
        token = getattr(request, "api_token", None)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class AnonRateThrottle(_SettingsRateThrottle):
    """Per client address without a token (ECF_API_ANON_RATE_PER_MINUTE, lower)."""

    scope = "anon"
    setting = "ECF_API_ANON_RATE_PER_MINUTE"
    default = DEFAULT_ANON_RATE

    def get_cache_key(self, request):
        if getattr(request, "api_token", None) is not None:
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }


API_THROTTLES: list[BaseThrottle] = [TokenRateThrottle(), AnonRateThrottle()]
