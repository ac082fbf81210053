"""Deadlines on a case: set by docket events (dates computed by cases.calendar) and
ended by the entries that meet them or by the case's dismissal or closing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from core import clock
from core.audit import record_event
from core.errors import UserFacingError
from filers.models import User

from .models import Case, Deadline

DEADLINE_LABELS = {
    "meeting_341": "341 meeting",
    "claims_bar": "Deadline for filing claims",
    "gov_claims_bar": "Deadline for filing claims (govt.)",
    "objection_to_discharge": "Deadline for objecting to discharge",
    "financial_management": "Financial management course certificate due",
    "installment": "Filing fee installments due",
    "plan_confirmation": "Confirmation hearing",
    "response": "Response due",
    "objection": "Objections due",
    "hearing": "Hearing",
    "deficiency_cure": "Deficiency to be cured",
}


def _given_rule(due, due_at) -> str:
    when = due_at or due
    return f"Date given by the filer or the court ({when:%m/%d/%Y})." if when else ""


def set_deadline(
    *,
    case: Case,
    kind: str,
    actor: User,
    due: dt.date | None = None,
    due_at: dt.datetime | None = None,
    label: str = "",
    location: str = "",
    entry_id: int | None = None,
    rule: str = "",
) -> Deadline:
    """Set a deadline on the case (`rule`: how cases.calendar computed the date). A case-wide deadline (341 meeting, bar dates,
    objection to discharge, installments) replaces the open one of the same kind."""
    if due is not None:
        day = due
    elif due_at is not None:
        day = clock.local_date(due_at)
    else:
        raise UserFacingError("A deadline needs a date.")
    # No savepoint inside a filing's transaction (savepoint=False): a failure here
    # rolls the whole filing back, as it should.
    with transaction.atomic(savepoint=False):
        replaced = []
        if kind in (
            "meeting_341",
            "claims_bar",
            "gov_claims_bar",
            "objection_to_discharge",
            "financial_management",
            "installment",
            "plan_confirmation",
        ):
            replaced = list(
                case.deadlines.filter(
                    kind=kind, satisfied_on__isnull=True, terminated=False
                )
            )
            for old in replaced:
                old.terminated = True
                old.save(update_fields=["terminated", "updated_at"])
        deadline = Deadline(
            case=case,
            kind=kind,
            label=(
                label
                or DEADLINE_LABELS.get(kind)
                or kind.replace("_", " ").capitalize()
            )[:200],
            due=day,
            due_at=due_at,
            location=location[:200],
            source_entry_id=entry_id,
            rule=(rule or _given_rule(due, due_at))[:600],
        )
        # The case is the caller's row (its foreign key is the database's to check).
        deadline.full_clean(exclude=["case"])
        deadline.save()
        record_event(
            actor=actor,
            action="cases.deadline.set",
            target=deadline,
            case_id=case.pk,
            before={"replaced": [d.pk for d in replaced]},
            after={
                "kind": kind,
                "due": deadline.due,
                "due_at": due_at,
                "entry_id": entry_id,
            },
        )
    return deadline


def end_deadlines(
    *,
    case: Case,
    kinds: list[str] | None,
    actor: User,
    entry_id: int | None = None,
    terminated: bool = False,
) -> int:
    """End the case's open deadlines of `kinds` (all kinds if None); returns how many.

    `terminated` marks them ended without being met (dismissal, closing); otherwise
    they are satisfied by the entry.
    """
    with transaction.atomic():
        qs = case.deadlines.filter(satisfied_on__isnull=True, terminated=False)
        if kinds is not None:
            qs = qs.filter(kind__in=kinds)
        ids = list(qs.values_list("id", flat=True))
        if not ids:
            return 0
        if terminated:
            Deadline.objects.filter(pk__in=ids).update(terminated=True)
        else:
            Deadline.objects.filter(pk__in=ids).update(
                satisfied_on=clock.today(), satisfied_entry_id=entry_id
            )
        record_event(
            actor=actor,
            action="cases.deadline.ended",
            target=case,
            case_id=case.pk,
            after={"deadlines": ids, "terminated": terminated, "entry_id": entry_id},
        )
    return len(ids)
