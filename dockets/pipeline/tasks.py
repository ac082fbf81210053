"""Thin Celery wrappers of dockets.pipeline.services: ids in, retry policy here.

Every task is idempotent (the services check and claim status rows under locks),
so they ack late: a worker killed mid-task leaves the message to be delivered
again, and the sweeper re-queues anything the broker lost.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import OperationalError

from core.compiled import prepared_statements
from core.errors import StorageUnavailable

from . import services

logger = logging.getLogger(__name__)

# Transient: the file store, the database or the mail server was briefly away.
TRANSIENT = (OSError, StorageUnavailable, OperationalError, smtplib.SMTPException)
RETRY: dict[str, Any] = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000] or type(exc).__name__


class StampTask(DjangoTask):
    """After the last retry, the entry's pending documents show FAILED and why."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        entry_id = kwargs.get("entry_id", args[0] if args else None)
        from ..models import Document

        for document_id in Document.objects.filter(
            entry_id=entry_id, status=Document.Status.PENDING
        ).values_list("pk", flat=True):
            services.mark_document_failed(
                document_id=document_id,
                reason=f"Stamping failed after {self.request.retries + 1} attempts: {_reason(exc)}",
            )


class NoticeTask(DjangoTask):
    """After the last retry, the notice shows FAILED and why."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        notice_id = kwargs.get("notice_id", args[0] if args else None)
        services.mark_notice_failed(
            notice_id=notice_id,
            reason=f"Sending failed after {self.request.retries + 1} attempts: {_reason(exc)}",
        )


@shared_task(base=StampTask, bind=True, soft_time_limit=240, time_limit=300, **RETRY)
def stamp_entry_task(self, entry_id: int, event_id: int | None = None) -> None:
    """Stamp an entry's pending documents, send its ready notices, dispatch its alerts
    (the filing's audit event `event_id`, if the pipeline took it), queue its text.

    One task for the whole of an ordinary filing's pipeline: each step is its own
    idempotent service, claimed under its own short lock (stamp_document,
    send_notice, core.services.deliver_messages; alert deliveries are unique per
    alert and event), so a re-run (the broker's redelivery, the sweeper) redoes
    nothing already done. A notice that fails here is handed to send_notice_task,
    with its own retries and its FAILED status after the last one; the stamping's
    own transient errors retry this task (the alerts are dispatched all the same).
    """
    from ..alerts.services import dispatch_now
    from ..fulltext.services import queue_entry_text

    # Every row here is found by id (the entry, its case, documents, notices): the
    # statements are planned once per worker connection (core.compiled).
    with prepared_statements():
        try:
            for notice_id in services.stamp_entry(entry_id=entry_id):
                try:
                    services.send_notice(notice_id=notice_id)
                except Exception:
                    logger.exception(
                        "Notice %s failed after stamping; handing it to its own task",
                        notice_id,
                    )
                    send_notice_task.delay(notice_id)
        finally:
            if event_id is not None:
                dispatch_now(event_id=event_id)
        queue_entry_text(entry_id=entry_id)


@shared_task(base=NoticeTask, bind=True, soft_time_limit=240, time_limit=300, **RETRY)
def send_notice_task(self, notice_id: int) -> None:
    """Send one notice to every pending recipient. Safe to run twice: nobody gets two."""
    services.send_notice(notice_id=notice_id)


@shared_task(acks_late=True)
def sweep_pending_task() -> dict:
    """Re-queue documents and notices still pending (beat, every minute)."""
    return services.sweep_pending()


@shared_task(acks_late=True)
def send_daily_summaries_task() -> int:
    """Send the daily NEF summaries (beat, once a day)."""
    return services.send_daily_summaries()
