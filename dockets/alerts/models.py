"""Alerts: a logged-in user follows a case, a party or creditor name, or a saved search.

An `AlertDelivery` is one alert about one thing (an event, or for a name the case it
appeared in); its unique key makes every alert arrive once, however often the
dispatcher runs.
"""

from django.conf import settings
from django.db import models

from core.models import BaseModel

__all__ = ["Alert", "AlertDelivery", "Webhook", "WebhookDelivery"]


class Alert(BaseModel):
    class Kind(models.TextChoices):
        CASE = "case", "A case"
        NAME = "name", "A party or creditor name, in any case"
        SEARCH = "search", "A saved search of docket and document text"

    class Frequency(models.TextChoices):
        IMMEDIATE = "now", "An e-mail for each change"
        DAILY = "daily", "One e-mail a day"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    term = models.CharField(
        max_length=200, blank=True, help_text="The name, or the search's words"
    )
    frequency = models.CharField(
        max_length=6, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    active = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "active"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "case", "term"],
                name="one_alert_per_subject",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        subject = self.case.display_number if self.case is not None else self.term
        return f"{self.get_kind_display()}: {subject}"


class AlertDelivery(BaseModel):
    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        DIGEST = "digest", "Waiting for the daily e-mail"
        IN_DIGEST = "digested", "Sent in a daily e-mail"
        WITHDRAWN = "withdrawn", "Not sent: no longer visible to the follower"

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="deliveries"
    )
    key = models.CharField(
        max_length=60,
        help_text="event:<audit id>; case:<id> for a name; text:<document id> for "
        "a saved search that matched a document's text",
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        "dockets.DocketEntry",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    document = models.ForeignKey(
        "dockets.Document",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The document whose text matched (saved searches)",
    )
    summary = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "key"], name="alert_once_per_key")
        ]
        indexes = [models.Index(fields=["status", "alert"])]


class Webhook(BaseModel):
    """An API client's HTTPS endpoint told of the same events as alerts, signed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhooks",
        help_text="Empty: every case the owner may see",
    )
    secret = models.CharField(
        max_length=64, help_text="HMAC-SHA256 key of the signature header"
    )
    active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(BaseModel):
    """One event sent (or being sent) to one webhook: the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (no more tries)"

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries"
    )
    key = models.CharField(max_length=60)
    event = models.CharField(max_length=80)
    payload = models.TextField(help_text="The JSON body, exactly as signed")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "key"], name="webhook_once_per_event"
            )
        ]
