"""What every app shares: timestamps, the audit log, the in-app inbox.

Threat model for AuditEvent: an insider with database access might try to rewrite
history. Rows are append-only (a trigger refuses UPDATE and DELETE, migration 0002)
and each row stores the SHA-256 of the previous row of the same chain plus its own
content, so a changed or removed row breaks the chain (core.audit.verify_chain).
"""

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditChain(models.Model):
    """The head of one hash chain: one per case, plus the court-wide chain (key 'court')."""

    key = models.CharField(
        max_length=64, unique=True, help_text="'court' or 'case:<id>'"
    )
    last_hash = models.CharField(max_length=64, default="0" * 64)
    length = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key} ({self.length})"


class AuditEvent(models.Model):
    """One thing somebody did: who, what, when, on which object, before and after."""

    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who did it; empty for the system (workers, beat).",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The attorney an agent filed for, or the filer a clerk entered for.",
    )
    action = models.CharField(
        max_length=80, db_index=True, help_text="e.g. dockets.entry.filed"
    )
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=300, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    chain_key = models.CharField(max_length=64)
    sequence = models.PositiveBigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["chain_key", "sequence"], name="audit_chain_seq"
            )
        ]
        indexes = [
            models.Index(fields=["actor", "-id"]),
            models.Index(fields=["case_id", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    @property
    def action_text(self) -> str:
        """The action in words for people: "filers.registration.submitted" reads
        "Registration submitted" (the code stays in the record for tools)."""
        return action_words(self.action)


# Actions whose words are not simply their last two parts.
ACTION_WORDS = {
    "filers.certification.granted": "Certified as a filer",
    "filers.registration.submitted": "Registration submitted",
    "filers.role.changed": "Role changed",
    "filers.agent.links_ended": "Filing-agent links ended",
    "filers.account.updated": "Account details updated",
}


def action_words(action: str) -> str:
    """Plain words for an audit action code."""
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    parts = action.split(".")
    words = " ".join(p.replace("_", " ") for p in parts[-2:]) if parts else action
    return words[:1].upper() + words[1:]


class InboxMessage(BaseModel):
    """A copy of every e-mail the system sends, readable in the recipient's in-app inbox."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"
        NOT_SENT = "not_sent", "Kept in ECF only (training)"
        WITHHELD = "withheld", "Not sent: its docket entry was sealed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbox_messages",
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    kind = models.CharField(
        max_length=40, default="general", help_text="nef, account, summary…"
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING
    )
    error_message = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a worker claimed the message to send it (status sending).",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"
