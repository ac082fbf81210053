"""Thin Celery wrappers of dockets.fulltext.services, on the text queue (text_queue())."""

from __future__ import annotations

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import OperationalError

from core.errors import StorageUnavailable

from . import services

TRANSIENT = (OSError, StorageUnavailable, OperationalError)


class TextTask(DjangoTask):
    """After the last retry the document's text row shows FAILED and why."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        document_id = kwargs.get("document_id", args[0] if args else None)
        services.mark_text_failed(
            document_id=document_id,
            reason=f"Reading failed after {self.request.retries + 1} attempts: "
            f"{type(exc).__name__}: {exc}"[:1000],
        )


@shared_task(
    base=TextTask,
    bind=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
    reject_on_worker_lost=True,
    # A 300-page scan at a few seconds a page: limits per page are in the service.
    soft_time_limit=3600,
    time_limit=3700,
)
def extract_text_task(self, document_id: int) -> None:
    """Read (and recognise) one document's text. Safe to run twice."""
    services.extract_document_text(document_id=document_id)


@shared_task(acks_late=True)
def sweep_text_task() -> dict:
    """Queue again text rows the broker lost (beat, every five minutes)."""
    return services.sweep_text()
