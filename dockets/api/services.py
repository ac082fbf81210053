"""Writes of the API's own records: making and revoking tokens, remembering responses."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from core.errors import NotAllowed, UserFacingError
from filers.models import User
from filers.permissions import filing_blockers

from .models import ApiIdempotency, ApiToken

TOKEN_PREFIX = "ecf_"  # noqa: S105 (a public prefix, no secret)
# Tokens made on the training instance (the vendor sandbox) say so, so a practice token
# is never mistaken for a live one (docs/vendor-sandbox.md).
PRACTICE_TOKEN_PREFIX = "ecf_practice_"  # noqa: S105 (a public prefix)


def token_prefix() -> str:
    return PRACTICE_TOKEN_PREFIX if settings.ECF_IS_TRAINING else TOKEN_PREFIX


MAX_TOKEN_DAYS = 365


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_api_token(
    *, user: User, name: str, scopes: list[str], days: int
) -> tuple[ApiToken, str]:
    """Make a token for a certified filer; return (row, the token shown once).

    The caller has checked a current authenticator code. Raises NotAllowed if the
    user may not file, UserFacingError for a bad name, scope or lifetime.
    """
    problems = filing_blockers(user)
    if problems:
        raise NotAllowed(" ".join(problems))
    name = name.strip()
    if not name:
        raise UserFacingError("Give the token a name.", field="name")
    valid = {s.value for s in ApiToken.Scope}
    if not scopes or any(s not in valid for s in scopes):
        raise UserFacingError("Choose at least one scope.", field="scopes")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise UserFacingError(
            f"A token lasts from 1 to {MAX_TOKEN_DAYS} days.", field="days"
        )
    secret = secrets.token_urlsafe(32)
    token = f"{token_prefix()}{secret}"
    row = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=token[:12],
        digest=token_digest(token),
        scopes=[s for s in ApiToken.Scope.values if s in scopes],
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    record_event(
        actor=user,
        action="dockets.api_token.created",
        target=row,
        after={
            "token_id": row.pk,
            "scopes": row.scopes,
            "expires_at": row.expires_at.isoformat(),
        },
    )
    return row, token


@transaction.atomic
def revoke_api_token(*, user: User, token: ApiToken) -> ApiToken:
    """Revoke one of the user's tokens (at once; revoking twice changes nothing)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        record_event(
            actor=user,
            action="dockets.api_token.revoked",
            target=token,
            after={"token_id": token.pk},
        )
    return token


def remember_response(
    *, token: ApiToken, key: str, request_hash: str, status_code: int, body: dict
) -> None:
    """Store the first response to a keyed write (a concurrent twin keeps the first).

    One statement (INSERT ... ON CONFLICT DO NOTHING on the token and key), with no
    transaction of its own: the twin's row, if it got there first, is kept.
    """
    ApiIdempotency.objects.bulk_create(
        [
            ApiIdempotency(
                token=token,
                key=key,
                request_hash=request_hash,
                status_code=status_code,
                response=body,
            )
        ],
        ignore_conflicts=True,
    )
