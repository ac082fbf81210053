"""Deficiency notices, their cure deadlines, and the orders that follow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cases.models import Case, Deadline, Representation
from core import clock
from core.audit import record_event
from core.errors import UserFacingError
from core.mail import send_message
from filers.models import User

from ...catalogue_data import EventCategory
from ...models import (
    DocketEntry,
)
from ...services import (
    lock_case,
)
from ..models import Deficiency
from .common import (
    DEFAULT_CURE_DAYS,
    DEFICIENCY_LABELS,
    _check_open,
    _docket,
    _event,
    _tell_filer,
    check_event_fits,
    mdy,
)
from .corrections import _acted_on
from .events import check_values


@dataclass
class DeficiencyResult:
    deficiency: Deficiency
    entry: DocketEntry


@transaction.atomic
def issue_deficiency(
    *,
    case: Case,
    clerk: User,
    kind: str,
    cure_by: dt.date | None = None,
    details: str = "",
    entry: DocketEntry | None = None,
    event_code: str = "defntc",
) -> Deficiency:
    """Docket a deficiency notice with its cure date, track it, and tell the filer.

    The notice is a catalogue deficiency event (served like any entry); the cure date
    becomes a deficiency_cure deadline on the case.
    """
    if kind not in DEFICIENCY_LABELS:
        raise UserFacingError("Pick the deficiency from the list.")
    today = clock.today()
    if cure_by is None:
        from cases.calendar import compute_deadline

        cure_by = compute_deadline(today, DEFAULT_CURE_DAYS, what="the notice").day
    if cure_by <= today:
        raise UserFacingError("The cure date must be after today.")
    event = _event(event_code)
    if event.category != EventCategory.DEFICIENCY:
        raise UserFacingError("Pick a deficiency notice event.")
    case = lock_case(case.pk)
    check_event_fits(event, case, court=True)
    _check_open(case)
    related = []
    if entry is not None:
        entry = DocketEntry.objects.select_related("event", "filer", "entered_by").get(
            pk=entry.pk
        )
        if entry.case_id != case.pk:
            raise UserFacingError("The deficient entry must be on this case's docket.")
        related = [entry]
    values = {
        "deficiency": kind,
        "cure_deadline": cure_by,
        **({"details": details.strip()} if details.strip() else {}),
    }
    notice = _docket(
        case=case,
        event=event,
        clerk=clerk,
        values=values,
        related=related,
        note=details.strip(),
    )
    deadline = Deadline.objects.filter(
        case=case, kind="deficiency_cure", source_entry_id=notice.pk
    ).first()
    if deadline is None:
        deadline = Deadline.objects.create(
            case=case,
            kind="deficiency_cure",
            label=f"Deficiency: {DEFICIENCY_LABELS[kind]}",
            due=cure_by,
            source_entry_id=notice.pk,
        )
    deficiency = Deficiency(
        case=case,
        entry=entry,
        notice_entry=notice,
        kind=kind,
        details=details.strip(),
        cure_by=cure_by,
        deadline=deadline,
        issued_by=clerk,
    )
    deficiency.full_clean()
    deficiency.save()
    if entry is not None:
        _acted_on(entry, clerk)
    record_event(
        actor=clerk,
        action="dockets.deficiency.issued",
        target=deficiency,
        case_id=case.pk,
        after={
            "kind": kind,
            "cure_by": cure_by,
            "notice_entry": notice.pk,
            "entry": entry.pk if entry else None,
        },
    )
    told = entry if entry is not None else None
    lines = [
        f"The clerk's office docketed a {event.name.removesuffix(' (BNC)')} in case {case.display_number}:",
        notice.text,
        f"Cure the deficiency by {mdy(cure_by)}. If it is not cured, the court may issue an order to show cause "
        "or dismiss the case.",
    ]
    if told is not None:
        _tell_filer(
            told,
            subject=f"{case.display_number} Notice of deficient filing: {DEFICIENCY_LABELS[kind]}",
            lines=lines,
            docketed=notice,
        )
    else:
        for rep in Representation.objects.filter(
            case=case, terminated_on__isnull=True
        ).select_related("attorney"):
            send_message(
                to_email=rep.attorney.email,
                user=rep.attorney,
                kind="clerk",
                subject=f"{case.display_number} Notice of deficiency: {DEFICIENCY_LABELS[kind]}",
                text="\n\n".join(lines),
            )
    return deficiency


@transaction.atomic
def mark_deficiency_cured(
    *, deficiency: Deficiency, clerk: User, cured_by_entry: DocketEntry | None = None
) -> Deficiency:
    """Record that a deficiency was cured; its deadline is satisfied."""
    lock_case(deficiency.case_id)
    deficiency = Deficiency.objects.select_for_update().get(pk=deficiency.pk)
    if deficiency.status != Deficiency.Status.OPEN:
        raise UserFacingError("That deficiency is no longer open.")
    deficiency.status = Deficiency.Status.CURED
    deficiency.resolved_at = timezone.now()
    deficiency.save(update_fields=["status", "resolved_at", "updated_at"])
    if deficiency.deadline_id:
        Deadline.objects.filter(pk=deficiency.deadline_id).update(
            satisfied_on=clock.today(),
            satisfied_entry_id=cured_by_entry.pk if cured_by_entry else None,
        )
    record_event(
        actor=clerk,
        action="dockets.deficiency.cured",
        target=deficiency,
        case_id=deficiency.case_id,
        before={"status": "open"},
        after={"status": "cured"},
    )
    return deficiency


ESCALATION_EVENTS = ("osc", "ordism")


@transaction.atomic
def escalate_deficiency(
    *, deficiency: Deficiency, clerk: User, event_code: str, values: dict
) -> DocketEntry:
    """Docket an order to show cause or a dismissal for an uncured deficiency."""
    if event_code not in ESCALATION_EVENTS:
        raise UserFacingError(
            "Pick an order to show cause or an order dismissing the case."
        )
    case = lock_case(deficiency.case_id)
    deficiency = (
        Deficiency.objects.select_for_update()
        .select_related("notice_entry__event")
        .get(pk=deficiency.pk)
    )
    if deficiency.status != Deficiency.Status.OPEN:
        raise UserFacingError("That deficiency is no longer open.")
    event = _event(event_code)
    check_event_fits(event, case, court=True)
    _check_open(case)
    values = {"signed_on": clock.today(), **values}
    check_values(event, values)
    order = _docket(
        case=case,
        event=event,
        clerk=clerk,
        values=values,
        related=[deficiency.notice_entry],
    )
    deficiency.status = Deficiency.Status.ESCALATED
    deficiency.resolution_entry = order
    deficiency.resolved_at = timezone.now()
    deficiency.save(
        update_fields=["status", "resolution_entry", "resolved_at", "updated_at"]
    )
    record_event(
        actor=clerk,
        action="dockets.deficiency.escalated",
        target=deficiency,
        case_id=case.pk,
        before={"status": "open"},
        after={"status": "escalated", "order_entry": order.pk, "event": event_code},
    )
    return order
