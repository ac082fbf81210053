"""Thin Celery wrappers for core's services."""

from celery import shared_task

from .services import (
    TRANSIENT_MAIL_ERRORS,
    deliver_message,
    deliver_messages,
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


@shared_task(acks_late=True)
def deliver_messages_task(message_ids: list[int]) -> None:
    """Send a batch of stored messages over one connection. Safe to run twice, as above;
    a message hit by a transient error is handed to deliver_message_task's retries."""
    deliver_messages(message_ids=message_ids)


@shared_task
def requeue_pending_messages_task() -> int:
    return requeue_pending_messages()
