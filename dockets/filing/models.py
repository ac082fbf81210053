"""Models of dockets.filing (imported by dockets/models.py): wizard drafts and payment checkouts."""

import secrets

from django.conf import settings
from django.db import models

from core.models import BaseModel


def new_checkout_token() -> str:
    return secrets.token_urlsafe(24)


class Draft(BaseModel):
    """An unfinished filing: the wizard's answers and the uploaded files, kept privately.

    Nothing here is on the docket. The filer (or the attorney's linked agents) may
    resume it until `expires_at` (ECF_DRAFT_DAYS); a periodic task then deletes it and
    its files. Uploaded files live in private storage under `drafts/<id>/` and are
    named in `state["documents"]`.
    """

    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        SUBMITTED = "submitted", "Filed"
        EXPIRED = "expired", "Expired"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="filing_drafts",
        help_text="Who started the filing (an attorney, or an agent for one)",
    )
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Whose signature the filing will carry",
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    step = models.CharField(max_length=20, default="events")
    state = models.JSONField(
        default=dict, blank=True, help_text="The wizard's answers so far"
    )
    idempotency_key = models.CharField(
        max_length=80, unique=True, help_text="Carried to the entry: files once"
    )
    entry = models.ForeignKey(
        "dockets.DocketEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self) -> str:
        return f"Draft {self.pk} ({self.get_status_display()})"

    @property
    def summary(self) -> str:
        """A short label: the events chosen so far."""
        return "; ".join(self.state.get("event_names", [])) or "No event chosen yet"


class Checkout(BaseModel):
    """One attempt to pay a fee through the payment gateway (the test gateway by default)."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for payment"
        PAID = "paid", "Paid"
        DECLINED = "declined", "Declined"

    payment = models.ForeignKey(
        "dockets.Payment", on_delete=models.CASCADE, related_name="checkouts"
    )
    token = models.CharField(max_length=40, unique=True, default=new_checkout_token)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    amount_cents = models.PositiveIntegerField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    return_url = models.CharField(max_length=300, blank=True)
    message = models.CharField(
        max_length=300, blank=True, help_text="The gateway's answer, shown to the payer"
    )
    card_last4 = models.CharField(max_length=4, blank=True)

    def __str__(self) -> str:
        return f"Checkout {self.token[:8]} ({self.get_status_display()})"
