"""Writes owned by core: delivering stored messages."""

import datetime as dt
import logging
import smtplib

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import InboxMessage

logger = logging.getLogger(__name__)

TRANSIENT_MAIL_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)


def deliver_message(*, message_id: int) -> InboxMessage | None:
    """Send one stored message by e-mail, at most once.

    The row is claimed under a lock (status pending -> sent) before sending, so two
    deliveries of the same task never send twice. Transient SMTP errors propagate for
    the task to retry; the row goes back to pending.
    """
    from django.conf import settings

    with transaction.atomic():
        message = InboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != InboxMessage.Status.PENDING:
            return message
        message.attempts += 1
        message.save(update_fields=["attempts", "updated_at"])
    mail = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
    )
    if message.body_html:
        mail.attach_alternative(message.body_html, "text/html")
    try:
        mail.send()
    except TRANSIENT_MAIL_ERRORS:
        raise
    except Exception as exc:  # a permanent refusal: record it for the clerk
        logger.warning("Message %s could not be sent: %s", message.pk, exc)
        InboxMessage.objects.filter(pk=message.pk).update(
            status=InboxMessage.Status.FAILED, error_message=str(exc)[:1000]
        )
        return message
    InboxMessage.objects.filter(
        pk=message.pk, status=InboxMessage.Status.PENDING
    ).update(status=InboxMessage.Status.SENT, sent_at=timezone.now())
    message.refresh_from_db()
    return message


def mark_message_failed(*, message_id: int, reason: str) -> None:
    InboxMessage.objects.filter(
        pk=message_id, status=InboxMessage.Status.PENDING
    ).update(status=InboxMessage.Status.FAILED, error_message=reason[:1000])


def requeue_pending_messages(*, older_than_seconds: int = 300) -> int:
    """Re-queue messages still pending after a while (the broker may have lost them)."""
    from .tasks import deliver_message_task

    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    ids = list(
        InboxMessage.objects.filter(
            status=InboxMessage.Status.PENDING, updated_at__lt=cutoff
        ).values_list("pk", flat=True)[:5000]
    )
    for pk in ids:
        deliver_message_task.delay(pk)
    return len(ids)
