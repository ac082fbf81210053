"""The nightly bulk export (beat)."""

from celery import shared_task

from . import export


@shared_task(acks_late=True, soft_time_limit=3 * 3600, time_limit=3 * 3600 + 300)
def export_bulk_task() -> str:
    return export.export_to_storage()


@shared_task(bind=True, acks_late=True, soft_time_limit=3600, time_limit=3700)
def build_case_zip_task(self, job_id: int) -> None:
    """Build one case's ZIP; a failure shows on the status page, not a stuck bar."""
    from django.utils import timezone

    from . import zips
    from .models import CaseZipJob

    try:
        zips.build_case_zip(job_id=job_id)
    except Exception:
        CaseZipJob.objects.filter(pk=job_id).update(
            status=CaseZipJob.Status.FAILED,
            error_message="The ZIP could not be made. Please try again later.",
            updated_at=timezone.now(),
        )
        raise
