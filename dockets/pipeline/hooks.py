"""What runs after a filing commits (named in ECF_AFTER_FILING): stamping, then notices."""


def after_filing(entry_id: int) -> None:
    """Queue the stamping and notice work for a newly filed entry (the pipeline fills this in)."""
