"""Models of dockets.reports (imported by dockets/models.py).

DocketSheetJob is the status row of one PDF docket sheet being made in Celery
(CourtListener's ProcessingQueue idea): the page polls it, and the file is
served only while nothing on the docket changed since the job started.
"""

import secrets

from django.conf import settings
from django.db import models

from cases.models import Case
from core.models import BaseModel


def new_job_token() -> str:
    return secrets.token_urlsafe(18)


def sheet_path(instance: "DocketSheetJob", filename: str) -> str:
    return f"docket-sheets/{instance.case_id}/{secrets.token_hex(16)}.pdf"


class DocketSheetJob(BaseModel):
    """One PDF docket sheet of a case, made in the background; always the public view."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="docket_sheet_jobs"
    )
    token = models.CharField(max_length=40, unique=True, default=new_job_token)
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
    total = models.PositiveIntegerField(default=0, help_text="Entries to print")
    done = models.PositiveIntegerField(default=0, help_text="Entries printed so far")
    pages = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=sheet_path, max_length=200, blank=True)
    error_message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"Docket sheet {self.case_id} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
