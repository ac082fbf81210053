"""Thin Celery wrappers of the filing services: the periodic draft cleanup."""

from celery import shared_task

from .services import expire_drafts


@shared_task
def expire_drafts_task() -> int:
    """Delete drafts past ECF_DRAFT_DAYS and their uploaded files. Safe to run twice."""
    return expire_drafts()
