"""Helpers for the public-access tests (imported by module name, like pipeline_helpers)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import Case
from core import clock
from dockets.models import DocketEntry, Event


def bulk_entries(
    case: Case,
    count: int,
    *,
    text: str = "Notice of change of address.",
    start_days_ago: int = 400,
):
    """Add `count` public, numbered, document-less entries to `case` straight into the table."""
    event = Event.objects.get(code="msj")
    case.refresh_from_db()
    seq, number = case.last_entry_seq, case.last_entry_number
    now = timezone.now()
    rows = []
    for i in range(count):
        seq += 1
        number += 1
        when = now - dt.timedelta(days=start_days_ago) + dt.timedelta(minutes=i)
        rows.append(
            DocketEntry(
                case=case,
                number=number,
                seq=seq,
                event=event,
                filed_at=when,
                entered_at=when,
                filed_date=clock.local_date(when),
                text=f"{text} Entry {number}.",
                original_text=text,
            )
        )
    DocketEntry.objects.bulk_create(rows, batch_size=1000)
    Case.objects.filter(pk=case.pk).update(last_entry_seq=seq, last_entry_number=number)
    case.refresh_from_db()
    return rows


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.2):
    """Poll until predicate() is truthy; return its value or fail after timeout."""
    import time

    import pytest

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {predicate}")
