"""Thin Celery wrappers of dockets.alerts.services."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=2,
    max_retries=5,
)
def dispatch_event_task(event_id: int) -> int:
    """The alerts (and webhooks) of one audit event. Safe to run twice."""
    return services.dispatch_event(event_id=event_id)


@shared_task(acks_late=True)
def send_digests_task() -> int:
    """The daily alert e-mails (beat)."""
    return services.send_digests()
