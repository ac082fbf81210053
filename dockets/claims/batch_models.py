"""The claims upload log: one status row per batch and one per claim function in it.

A filer (and the clerk's office) reads it on the Claims Upload Log page and through the
API. A batch is identified by its filer and the batch id the filer chose, unique
together, so a batch sent twice is filed once (the second upload gets the first log).
"""

from django.conf import settings
from django.db import models

from core.models import BaseModel
from dockets.text import money

__all__ = ["ClaimBatch", "ClaimBatchItem"]


def batch_path(instance, filename: str) -> str:
    # The member names inside never become paths; the ZIP itself is stored by row id.
    return f"claim-batches/{instance.filer_id}/{instance.batch_id_digest}.zip"


class ClaimBatch(BaseModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Filing"
        DONE = "done", "Done"
        REFUSED = "refused", "Refused"

    filer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    batch_id = models.CharField(max_length=64, help_text="The filer's BatchId")
    batch_id_digest = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    source = models.CharField(
        max_length=10, default="page", help_text="page or api: how it was sent"
    )
    upload = models.FileField(upload_to=batch_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    total = models.PositiveSmallIntegerField(default=0)
    processed = models.PositiveSmallIntegerField(default=0)
    filed = models.PositiveSmallIntegerField(default=0)
    refused = models.PositiveSmallIntegerField(default=0)
    reason = models.TextField(blank=True, help_text="Why the whole batch was refused")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["filer", "batch_id"], name="claim_batch_once_per_filer"
            )
        ]

    def __str__(self) -> str:
        return f"Claims upload {self.batch_id} ({self.get_status_display()})"


class ClaimBatchItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        FILED = "filed", "Filed"
        REFUSED = "refused", "Refused"

    batch = models.ForeignKey(
        ClaimBatch, on_delete=models.CASCADE, related_name="items"
    )
    index = models.PositiveSmallIntegerField(help_text="Order in the batch, from 0")
    function = models.CharField(max_length=10, help_text="add, amend or transfer")
    source = models.CharField(
        max_length=100, help_text="The XML data file it came from"
    )
    case_number = models.CharField(max_length=40, blank=True)
    claim_label = models.CharField(max_length=20, blank=True)
    creditor_name = models.CharField(max_length=200, blank=True)
    creditor_number = models.PositiveIntegerField(
        null=True, blank=True, help_text="The claim's Creditor ID on the case"
    )
    amount_cents = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, help_text="The parsed claim function")
    claim = models.ForeignKey(
        "dockets.Claim",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entry = models.ForeignKey(
        "dockets.DocketEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "index"], name="claim_batch_item_index_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch.batch_id} #{self.index + 1} {self.function} {self.status}"

    @property
    def amount_shown(self) -> str:
        return "" if self.amount_cents is None else money(self.amount_cents)
