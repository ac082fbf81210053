"""The nightly bulk export (beat)."""

from celery import shared_task

from . import export


@shared_task(acks_late=True, soft_time_limit=3 * 3600, time_limit=3 * 3600 + 300)
def export_bulk_task() -> str:
    return export.export_to_storage()
