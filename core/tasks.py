"""Thin Celery wrappers for core's services."""

from celery import shared_task

from .services import (
    TRANSIENT_MAIL_ERRORS,
    deliver_message,
    mark_message_failed,
    requeue_pending_messages,
)


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def deliver_message_task(self, message_id: int) -> None:
    """Send one stored message. Safe to run twice: a claimed or sent message is skipped."""
    try:
        deliver_message(message_id=message_id)
    except TRANSIENT_MAIL_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            mark_message_failed(
                message_id=message_id, reason=f"Mail server unavailable: {exc}"
            )
            return
        raise


@shared_task
def requeue_pending_messages_task() -> int:
    return requeue_pending_messages()
