"""Thin Celery wrappers of the filing services: the periodic cleanup of drafts and of
accepted uploads kept for forms that were never filed."""

from celery import shared_task

from ..uploads import expire_held_uploads
from .services import expire_drafts


@shared_task
def expire_drafts_task() -> int:
    """Delete expired drafts and held uploads, and their files. Safe to run twice."""
    return expire_drafts() + expire_held_uploads()
