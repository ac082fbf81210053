"""Thin Celery wrappers of the filing services: the periodic cleanup of drafts and of
accepted uploads kept for forms that were never filed."""

from celery import shared_task

from ..uploads import expire_held_uploads
from .services import expire_drafts


@shared_task
def expire_drafts_task() -> int:
    """Delete expired drafts and held uploads, and their files; returns how many drafts.

    Safe to run twice.
    """
    expire_held_uploads()
    return expire_drafts()
