"""Case life: every change of status, chapter, judge or trustee comes from a docket
entry (dockets.case_events), and sets and clears the court's case flags."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from core import clock
from core.audit import record_event
from core.errors import UserFacingError
from filers.models import User

from .assignment import next_assignment
from .deadlines import end_deadlines
from .models import Case, CaseFlagType, Court, Judge, Party, Trustee
from .services import PartyData, add_party, terminate_party


def _flag_codes(case: Case, action: str) -> tuple[set[str], set[str]]:
    to_set, to_clear = set(), set()
    for flag in CaseFlagType.objects.filter(court_id=case.court_id, active=True):
        if action in flag.set_by:
            to_set.add(flag.code)
        if action in flag.cleared_by:
            to_clear.add(flag.code)
    return to_set, to_clear


def apply_flags(case: Case, action: str, *, reread: bool = False) -> list[str]:
    """Set and clear the court's flags for `action`; saves the case's flags.

    With `reread`, the case's flags are read again first, and only when a flag
    changes (the caller's copy of the case may be older than its row).
    """
    to_set, to_clear = _flag_codes(case, action)
    if reread and (to_set or to_clear):
        case.refresh_from_db(fields=["flags"])
    flags = [f for f in case.flags if f not in to_clear]
    flags += sorted(to_set - set(flags))
    if flags != case.flags:
        case.flags = flags
        case.save(update_fields=["flags", "updated_at"])
    return flags


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_related("court", "office", "judge")
        .select_for_update(of=("self",))
        .get(pk=case.pk)
    )


def _change(
    case: Case,
    *,
    actor: User,
    action: str,
    before: dict,
    entry_id: int | None,
    fields: list[str],
) -> None:
    case.full_clean()
    case.save(update_fields=[*fields, "updated_at"])
    after = {f: getattr(case, f) for f in fields}
    record_event(
        actor=actor,
        action=f"cases.case.{action}",
        target=case,
        case_id=case.pk,
        before=before,
        after={**after, "entry_id": entry_id},
    )


def convert_case(
    *,
    case: Case,
    to_chapter: str,
    actor: User,
    on: dt.date | None = None,
    entry_id: int | None = None,
) -> Case:
    """Convert the case to `to_chapter` (FRBP 1017, 1019); the docket entry is the record.

    Raises UserFacingError for an unknown chapter, the same chapter, or a case that
    is not open. A new trustee is taken from the rotation for the new chapter.
    """
    with transaction.atomic():
        case = _locked(case)
        if to_chapter not in Case.Chapter.values:
            raise UserFacingError(
                "Pick the chapter the case is converted to: 7, 11, 12 or 13."
            )
        if to_chapter == case.chapter:
            raise UserFacingError(f"The case is already under chapter {to_chapter}.")
        if not case.is_open:
            raise UserFacingError(
                f"Case {case.display_number} is {case.get_status_display().lower()}; reopen it first."
            )
        before = {"chapter": case.chapter, "trustee": case.trustee_id}
        case.converted_from = case.chapter
        case.chapter = to_chapter
        case.date_converted = on or clock.today()
        _judge, trustee = next_assignment(office=case.office, chapter=to_chapter)
        case.trustee = trustee
        _change(
            case,
            actor=actor,
            action="converted",
            before=before,
            entry_id=entry_id,
            fields=["chapter", "converted_from", "date_converted", "trustee"],
        )
        # The old chapter's trustee leaves the case (a chapter 11 case may have none).
        for old in case.parties.filter(
            role=Party.Role.TRUSTEE, terminated_on__isnull=True
        ):
            if trustee is None or old.name != trustee.name:
                terminate_party(party=old, actor=actor, on=case.date_converted)
        if (
            trustee is not None
            and not case.parties.filter(
                role=Party.Role.TRUSTEE, name=trustee.name, terminated_on__isnull=True
            ).exists()
        ):
            add_party(
                case=case,
                actor=actor,
                user=trustee.user,
                data=PartyData(
                    role=Party.Role.TRUSTEE, name=trustee.name, email=trustee.email
                ),
            )
        apply_flags(case, "convert")
    return case


def _end_case(
    *, case: Case, actor: User, on, entry_id, status: str, date_field: str, action: str
) -> Case:
    """Move the case to `status` (dismissed or closed); every pending deadline ends."""
    with transaction.atomic():
        case = _locked(case)
        if case.status == status:
            raise UserFacingError(
                f"Case {case.display_number} is already {case.get_status_display().lower()}."
            )
        before = {"status": case.status}
        case.status = status
        setattr(case, date_field, on or clock.today())
        _change(
            case,
            actor=actor,
            action=action,
            before=before,
            entry_id=entry_id,
            fields=["status", date_field],
        )
        end_deadlines(
            case=case, kinds=None, actor=actor, entry_id=entry_id, terminated=True
        )
        apply_flags(case, {"dismissed": "dismiss", "closed": "close"}[action])
    return case


def dismiss_case(
    *, case: Case, actor: User, on: dt.date | None = None, entry_id: int | None = None
) -> Case:
    """Dismiss the case; its pending deadlines end."""
    return _end_case(
        case=case,
        actor=actor,
        on=on,
        entry_id=entry_id,
        status=Case.Status.DISMISSED,
        date_field="date_dismissed",
        action="dismissed",
    )


def discharge_case(
    *, case: Case, actor: User, on: dt.date | None = None, entry_id: int | None = None
) -> Case:
    """Record the debtor's discharge; the objection-to-discharge deadline ends."""
    with transaction.atomic():
        case = _locked(case)
        if case.date_discharged:
            raise UserFacingError(
                f"The debtor in case {case.display_number} is already discharged."
            )
        if not case.is_open:
            raise UserFacingError(
                f"Case {case.display_number} is {case.get_status_display().lower()}."
            )
        case.date_discharged = on or clock.today()
        _change(
            case,
            actor=actor,
            action="discharged",
            before={"date_discharged": None},
            entry_id=entry_id,
            fields=["date_discharged"],
        )
        end_deadlines(
            case=case,
            kinds=["objection_to_discharge", "financial_management"],
            actor=actor,
            entry_id=entry_id,
        )
        apply_flags(case, "discharge")
    return case


def close_case(
    *, case: Case, actor: User, on: dt.date | None = None, entry_id: int | None = None
) -> Case:
    """Close the case (11 U.S.C. 350(a)); only a motion to reopen or a court event may follow."""
    return _end_case(
        case=case,
        actor=actor,
        on=on,
        entry_id=entry_id,
        status=Case.Status.CLOSED,
        date_field="date_closed",
        action="closed",
    )


def reopen_case(
    *, case: Case, actor: User, on: dt.date | None = None, entry_id: int | None = None
) -> Case:
    """Reopen a closed or dismissed case (11 U.S.C. 350(b)); the reopen fee is the motion's."""
    with transaction.atomic():
        case = _locked(case)
        if case.is_open:
            raise UserFacingError(
                f"Case {case.display_number} is open; there is nothing to reopen."
            )
        before = {"status": case.status}
        case.status = Case.Status.OPEN
        case.date_reopened = on or clock.today()
        _change(
            case,
            actor=actor,
            action="reopened",
            before=before,
            entry_id=entry_id,
            fields=["status", "date_reopened"],
        )
        apply_flags(case, "reopen")
    return case


def set_case_trustee(
    *, case: Case, trustee: Trustee | None, actor: User, entry_id: int | None = None
) -> Case:
    """Assign (or with None, remove) the case trustee, keeping the party list in step."""
    with transaction.atomic():
        case = _locked(case)
        before = {"trustee": case.trustee_id}
        case.trustee = trustee
        _change(
            case,
            actor=actor,
            action="trustee_changed",
            before=before,
            entry_id=entry_id,
            fields=["trustee"],
        )
        for old in case.parties.filter(
            role=Party.Role.TRUSTEE, terminated_on__isnull=True
        ):
            if trustee is None or old.name != trustee.name:
                terminate_party(party=old, actor=actor)
        if (
            trustee is not None
            and not case.parties.filter(
                role=Party.Role.TRUSTEE, name=trustee.name, terminated_on__isnull=True
            ).exists()
        ):
            add_party(
                case=case,
                actor=actor,
                user=trustee.user,
                data=PartyData(
                    role=Party.Role.TRUSTEE, name=trustee.name, email=trustee.email
                ),
            )
    return case


def set_case_judge(
    *, case: Case, judge: Judge | None, actor: User, entry_id: int | None = None
) -> Case:
    """Assign (or with None, remove) the case judge."""
    with transaction.atomic():
        case = _locked(case)
        before = {"judge": case.judge_id}
        case.judge = judge
        _change(
            case,
            actor=actor,
            action="judge_changed",
            before=before,
            entry_id=entry_id,
            fields=["judge"],
        )
    return case


# The flags the demo court prints at the top of its dockets (cmecf.md 2.2 examples).
DEFAULT_FLAGS = [
    ("CLOSED", "Case closed", ["close"], ["reopen"]),
    ("DISMISSED", "Case dismissed", ["dismiss"], ["reopen"]),
    ("REOPENED", "Case reopened", ["reopen"], ["close"]),
    ("CONVERTED", "Case converted from another chapter", ["convert"], []),
    ("DISCHARGED", "Debtor discharged", ["discharge"], []),
    ("FeeDueINST", "Filing fee paid in installments", ["install"], []),
]


def seed_demo_flags(*, court: Court, users=None, stdout=None) -> None:
    """Give the demo court its case flags (a cases.demo seeder; idempotent)."""
    for code, label, set_by, cleared_by in DEFAULT_FLAGS:
        CaseFlagType.objects.get_or_create(
            court=court,
            code=code,
            defaults={"label": label, "set_by": set_by, "cleared_by": cleared_by},
        )
