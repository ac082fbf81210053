"""What a docket entry does to its case: conversions, dismissals, discharges, closing,
reopening, trustee and judge changes, and the deadlines the event sets or ends.

A case never changes silently (ARCHITECTURE.md): these changes happen only here,
called by dockets.services.create_entry inside the filing transaction, so the entry
and the change commit together or not at all. A UserFacingError raised here (for
example converting a case to the chapter it is already under) undoes the filing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from cases import deadlines as case_deadlines
from cases import status as case_status
from cases.calendar import compute_deadline
from cases.models import Case, Judge, Trustee
from core import clock
from core.errors import UserFacingError
from filers.models import User

from .models import DocketEntry

logger = logging.getLogger(__name__)

# Case actions whose work belongs to a sub-package of dockets (the transcript's 90-day
# restriction and notice: dockets.clerk), registered from DocketsConfig.ready()
# (dockets/apps.py) so this kernel module imports no sub-package. Each runs here, in
# the filing's transaction: if it fails, the filing is not recorded.
_action_handlers: dict[str, Callable[[DocketEntry], None]] = {}


def on_case_action(action: str, handler: Callable[[DocketEntry], None]) -> None:
    """Register `handler(entry)` for entries whose event has this case action."""
    _action_handlers[action] = handler


# The actions above that change the case row (through cases.status).
CASE_CHANGING_ACTIONS = frozenset(
    {
        "convert",
        "dismiss",
        "discharge",
        "close",
        "reopen",
        "add_trustee",
        "terminate_trustee",
        "add_judge",
        "terminate_judge",
    }
)


def apply_case_action(entry: DocketEntry) -> None:
    """Apply the entry's case action and deadlines to its case.

    Runs inside the caller's transaction, which holds the case lock; a registered
    handler (`on_case_action`) runs last, in the same transaction. Actions that
    belong to other parts of the docket and have no handler (claims, sealing,
    deficiencies, hearings, fee receipts) are left to the services that docket them.
    """
    event = entry.event
    case = entry.case
    actor = entry.entered_by or entry.filer
    fields = entry.fields or {}
    on = entry.filed_date
    action = event.case_action
    kwargs: dict[str, Any] = {"actor": actor, "entry_id": entry.pk}
    if action == "convert":
        to_chapter = str(fields.get("to_chapter") or "")
        if not to_chapter:
            raise UserFacingError("Pick the chapter the case is converted to.")
        case_status.convert_case(case=case, to_chapter=to_chapter, on=on, **kwargs)
    elif action == "dismiss":
        case_status.dismiss_case(case=case, on=on, **kwargs)
    elif action == "discharge":
        case_status.discharge_case(case=case, on=on, **kwargs)
    elif action == "close":
        case_status.close_case(case=case, on=on, **kwargs)
    elif action == "reopen":
        case_status.reopen_case(case=case, on=on, **kwargs)
    elif action == "add_trustee":
        case_status.set_case_trustee(
            case=case, trustee=_trustee(case, fields.get("trustee")), **kwargs
        )
    elif action == "terminate_trustee":
        case_status.set_case_trustee(case=case, trustee=None, **kwargs)
    elif action == "add_judge":
        case_status.set_case_judge(
            case=case, judge=_judge(case, fields.get("judge")), **kwargs
        )
    elif action == "terminate_judge":
        case_status.set_case_judge(case=case, judge=None, **kwargs)
    if event.ends_deadlines:
        case_deadlines.end_deadlines(
            case=case, kinds=list(event.ends_deadlines), **kwargs
        )
    for spec in event.sets_deadlines or []:
        _set_deadline(entry, spec, fields, **kwargs)
    if action:
        # Court-defined flags follow the action (e.g. CLOSED on close, cleared on reopen).
        if action in CASE_CHANGING_ACTIONS:
            # cases.status changed the row through its own locked copy: read it back.
            case.refresh_from_db(
                fields=["flags", "status", "chapter", "trustee", "judge"]
            )
            case_status.apply_flags(case, action)
        else:
            # The case row is as it was: its flags are read again only if one changes.
            case_status.apply_flags(case, action, reread=True)
    handler = _action_handlers.get(action)
    if handler is not None:
        handler(entry)


def _trustee(case: Case, name) -> Trustee:
    name = str(name or "").strip()
    trustee = Trustee.objects.filter(
        court_id=case.court_id, active=True, name__iexact=name
    ).first()
    if trustee is None:
        raise UserFacingError(f"No active trustee named {name!r} serves this court.")
    return trustee


def _judge(case: Case, name) -> Judge:
    name = str(name or "").strip()
    judge = (
        Judge.objects.filter(
            court_id=case.court_id, active=True, name__iexact=name
        ).first()
        or Judge.objects.filter(
            court_id=case.court_id, active=True, initials__iexact=name
        ).first()
    )
    if judge is None:
        raise UserFacingError(f"No active judge named {name!r} sits in this court.")
    return judge


def _field_label(entry: DocketEntry, name: str) -> str:
    for f in entry.event.fields or []:
        if f.get("name") == name:
            return f.get("label", "")
    return ""


def _when(value) -> tuple[dt.date | None, dt.datetime | None, str]:
    """Read a stored field value as (date, datetime, place); (None, None, "") if empty."""
    place = ""
    if isinstance(value, dict):
        place = str(value.get("location") or value.get("place") or "")
        value = (
            value.get("at")
            or value.get("datetime")
            or value.get("when")
            or value.get("date")
        )
    if isinstance(value, dt.datetime):
        return clock.local_date(value), value, place
    if isinstance(value, dt.date):
        return value, None, place
    if not value or not isinstance(value, str):
        return None, None, place
    try:
        if "T" in value or " " in value.strip():
            at = dt.datetime.fromisoformat(value.strip())
            if at.tzinfo is None:
                at = at.replace(tzinfo=clock.court_tz())
            return clock.local_date(at), at, place
        return dt.date.fromisoformat(value.strip()), None, place
    except ValueError:
        logger.info("Deadline field of entry %s is not a date", "?")
        return None, None, place


def _set_deadline(
    entry: DocketEntry, spec: dict, fields: dict, *, actor: User, entry_id
) -> None:
    kind = spec.get("kind", "other")
    due = due_at = None
    place = ""
    if spec.get("field"):
        due, due_at, place = _when(fields.get(spec["field"]))
    rule = ""
    if not spec.get("field") and spec.get("days") is not None:
        computed = compute_deadline(
            entry.filed_date,
            int(spec["days"]),
            what=f"entry {entry.number or ''}".strip(),
        )
        due, rule = computed.day, computed.rule
    if due is None and due_at is None:
        return  # an optional date left blank sets nothing
    label = ""
    if kind == "other" and spec.get("field"):
        label = _field_label(entry, spec["field"])
    if kind == "meeting_341" and not place:
        place = str(fields.get("meeting_place") or "")
    case_deadlines.set_deadline(
        case=entry.case,
        kind=kind,
        due=due,
        due_at=due_at,
        label=label,
        location=place,
        actor=actor,
        entry_id=entry_id,
        rule=rule,
    )
