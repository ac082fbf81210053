"""Claims tasks: transfers whose objection period has passed take effect."""

from celery import shared_task

from .claim_events import complete_due_transfers


@shared_task(name="dockets.claims.tasks.complete_due_transfers_task")
def complete_due_transfers_task() -> int:
    return complete_due_transfers()
