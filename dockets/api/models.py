"""API tokens and idempotency records for the JSON API (dockets.api).

Threat model: a token is a bearer credential that can file under a lawyer's name.
Only its SHA-256 digest is stored, so a database leak yields no usable token; the
secret is shown once, when it is made. Tokens carry scopes and always expire.
"""

from django.conf import settings
from django.db import models

from core.models import BaseModel

__all__ = ["ApiIdempotency", "ApiToken"]


class ApiToken(BaseModel):
    """A personal API token of one filer (hashed; scoped; expiring; revocable)."""

    class Scope(models.TextChoices):
        READ = "read", "Read dockets and documents"
        FILE = "file", "File documents and open cases"
        CLAIMS = "claims", "File proofs of claim"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the filer calls it")
    prefix = models.CharField(
        max_length=16, help_text="Shown in lists so the filer can tell tokens apart"
    )
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 hex")
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    # Not a column: the request's Idempotency-Key and the id of the response stored
    # for it (None: none yet), as the token lookup read them (dockets.api.auth).
    idempotency_lookup: tuple[str, int | None] | None = None

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiIdempotency(BaseModel):
    """The first response to a write sent with an Idempotency-Key header.

    A retry with the same key and token gets this response again; the same key with
    a different request body is refused.
    """

    token = models.ForeignKey(
        ApiToken, on_delete=models.PROTECT, related_name="idempotency_records"
    )
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["token", "key"], name="api_idempotency_key_unique"
            )
        ]
