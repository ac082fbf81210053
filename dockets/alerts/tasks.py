"""Thin Celery wrappers of dockets.alerts.services and .mailings."""

from celery import shared_task
from django.db import OperationalError

from . import mailings, services


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=2,
    max_retries=5,
)
def dispatch_event_task(event_id: int) -> int:
    """The alerts (and webhooks) of one audit event. Safe to run twice."""
    return services.dispatch_event(event_id=event_id)


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=2,
    max_retries=5,
)
def backfill_name_alert_task(alert_id: int) -> int:
    """The cases where a newly followed name already appears. Safe to run twice."""
    return mailings.backfill_name_alert(alert_id=alert_id)


@shared_task(acks_late=True)
def send_digests_task() -> int:
    """The daily alert e-mails (beat)."""
    return mailings.send_digests()


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_webhook_task(self, delivery_id: int) -> str:
    """POST one webhook delivery; on failure try again later, doubling the wait."""
    from django.conf import settings

    from .models import WebhookDelivery
    from .webhooks import attempt_delivery

    outcome = attempt_delivery(delivery_id=delivery_id)
    if outcome == "retry":
        attempts = (
            WebhookDelivery.objects.filter(pk=delivery_id)
            .values_list("attempts", flat=True)
            .first()
            or 1
        )
        countdown = min(settings.ECF_WEBHOOK_RETRY_BASE * 2 ** (attempts - 1), 6 * 3600)
        raise self.retry(countdown=countdown)
    return outcome


@shared_task(acks_late=True)
def sweep_recent_events_task() -> int:
    """Followable events of the last 15 minutes, dispatched again (beat, every 5)."""
    return services.sweep_recent_events()
