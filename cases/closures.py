"""Days the clerk's office was closed or the filing system was down (FRBP 9006(a)(3))."""

from __future__ import annotations

from django.db import transaction

from core.audit import record_event
from core.errors import UserFacingError
from filers.models import User


@transaction.atomic
def record_court_closure(*, actor: User, kind: str, starts_on, ends_on, reason: str):
    """Record days the clerk's office was closed or the filing system was down.

    Deadlines computed afterwards (cases.calendar) move when their last day is one
    of these days (FRBP 9006(a)(3)). Audited; listed on the public status page.
    """
    from .models import CourtClosure

    reason = " ".join((reason or "").split())
    if not reason:
        raise UserFacingError("Say why (it is shown on the public status page).")
    if ends_on < starts_on:
        raise UserFacingError("The last day affected cannot be before the first.")
    closure = CourtClosure(
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason[:300],
        recorded_by=actor,
    )
    closure.full_clean()
    closure.save()
    record_event(
        actor=actor,
        action="cases.closure.recorded",
        target=closure,
        after={
            "kind": kind,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "reason": closure.reason,
        },
    )
    return closure


@transaction.atomic
def withdraw_court_closure(*, actor: User, closure) -> None:
    """Remove a closure recorded in error (the audit event keeps what it said)."""
    record_event(
        actor=actor,
        action="cases.closure.withdrawn",
        target=closure,
        before={
            "kind": closure.kind,
            "starts_on": closure.starts_on,
            "ends_on": closure.ends_on,
            "reason": closure.reason,
        },
    )
    closure.delete()
