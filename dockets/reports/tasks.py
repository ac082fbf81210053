"""The docket sheet's Celery task: a thin wrapper over reports.sheets.make_docket_sheet."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from .models import DocketSheetJob
from .sheets import make_docket_sheet

logger = logging.getLogger(__name__)


@shared_task(
    bind=True, max_retries=2, acks_late=True, time_limit=1800, soft_time_limit=1700
)
def make_docket_sheet_task(self, job_id: int) -> None:
    """Make one docket sheet. Safe to run twice: a finished job is skipped."""
    job = DocketSheetJob.objects.filter(pk=job_id).first()
    if job is None or job.status in (
        DocketSheetJob.Status.DONE,
        DocketSheetJob.Status.FAILED,
    ):
        return
    try:
        make_docket_sheet(job=job)
    except Exception as exc:  # the reader must see why, not a bar stuck at 40%
        logger.exception("Docket sheet %s failed", job_id)
        DocketSheetJob.objects.filter(pk=job_id).update(
            status=DocketSheetJob.Status.FAILED,
            error_message="The docket sheet could not be made. Please try again later.",
            updated_at=timezone.now(),
        )
        raise exc from None
