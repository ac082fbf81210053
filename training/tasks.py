"""Thin Celery wrappers of the training services (live instance, queue ecf-live)."""

from celery import shared_task
from django.db import OperationalError

from filers.models import User

from .models import TrainingReset
from .services import (
    check_all_trainees,
    create_practice_account,
    reset_training_database,
)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def create_practice_account_task(user_id: int) -> None:
    """Create a new registrant's practice account and send its link. Safe to run twice."""
    from .models import PracticeAccount

    user = User.objects.filter(pk=user_id).select_related("filer").first()
    if user is None or PracticeAccount.objects.filter(user=user).exists():
        return
    create_practice_account(user)


@shared_task
def check_trainees_task() -> int:
    """Check every pending trainee's exercises (the schedule)."""
    return check_all_trainees()


@shared_task(time_limit=1800, soft_time_limit=1700)
def reset_training_task(reset_id: int | None = None) -> None:
    """Reset the training database to its seed. A reset already finished is skipped."""
    if reset_id is None:  # the nightly schedule
        from .services import request_training_reset

        request_training_reset(actor=None, trigger=TrainingReset.Trigger.SCHEDULE)
        return
    reset = TrainingReset.objects.filter(pk=reset_id).first()
    if reset is None or reset.status in (
        TrainingReset.Status.DONE,
        TrainingReset.Status.FAILED,
    ):
        return
    reset_training_database(reset=reset)
