"""The status row of one case's ZIP of public documents, built in Celery."""

import secrets

from django.conf import settings
from django.db import models

from core.models import BaseModel

__all__ = ["CaseZipJob"]


def zip_path(instance: "CaseZipJob", filename: str) -> str:
    return f"case-zips/{instance.case_id}/{secrets.token_hex(16)}.zip"


class CaseZipJob(BaseModel):
    """A ZIP of every public document of a case (the public view, whoever asks)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=40, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(default=0, help_text="Documents to pack")
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=zip_path, max_length=200, blank=True)
    error_message = models.TextField(blank=True)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
