"""What runs after a filing commits (named in ECF_AFTER_FILING): stamping, then notices."""

import logging

logger = logging.getLogger(__name__)


def after_filing(entry_id: int) -> None:
    """Create the entry's NEF row and queue its stamping; the notice follows the stamps.

    Runs on commit of the filing (dockets.services.after_filing), so the filing has
    already succeeded: a failure here is logged, never shown to the filer as an
    error. If the broker loses the message, the sweeper finds the pending rows.
    """
    from .services import start_pipeline

    try:
        start_pipeline(entry_id=entry_id)
    except Exception:
        logger.exception("Could not start the pipeline for entry %s", entry_id)
