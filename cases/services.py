"""Writes on cases. Opening a case is a filing: dockets.services calls these inside
the transaction that dockets the petition as entry 1."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat

from core import clock
from core.audit import record_event
from core.crypto import encrypt
from core.errors import UserFacingError

from .models import (
    AssignmentRotation,
    Case,
    CaseCounter,
    CaseFlagType,
    Court,
    Deadline,
    Judge,
    Office,
    Party,
    PartyAlias,
    Representation,
    Trustee,
)


@dataclass
class PartyData:
    role: str
    name: str
    is_entity: bool = False
    address_lines: list[str] = field(default_factory=list)
    city: str = ""
    state: str = ""
    zip_code: str = ""
    county: str = ""
    email: str = ""
    tax_id_kind: str = ""
    tax_id_digits: str = ""
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (kind, name)


def next_case_number(*, court: Court, year: int, case_type: str) -> int:
    """Return the next gap-free number for (court, year, type); locks the counter row.

    Must run inside the caller's transaction. Adversary numbers start at the court's
    ap_number_start.
    """
    CaseCounter.objects.get_or_create(court=court, year=year, case_type=case_type)
    counter = CaseCounter.objects.select_for_update().get(
        court=court, year=year, case_type=case_type
    )
    if counter.last_number == 0 and case_type == Case.CaseType.ADVERSARY:
        counter.last_number = court.ap_number_start - 1
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def create_case(
    *,
    court: Court,
    office: Office,
    case_type: str = Case.CaseType.BANKRUPTCY,
    chapter: str = "",
    title: str,
    voluntary: bool = True,
    joint: bool = False,
    judge: Judge | None = None,
    trustee: Trustee | None = None,
    lead_case: Case | None = None,
    date_filed: dt.date | None = None,
    actor=None,
    practice_owner=None,
    **extra,
) -> Case:
    """Create a case with the next number. Runs in the caller's transaction."""
    date_filed = date_filed or clock.today()
    with transaction.atomic():
        number = next_case_number(
            court=court, year=date_filed.year, case_type=case_type
        )
        case = Case(
            court=court,
            office=office,
            year=date_filed.year,
            case_type=case_type,
            number=number,
            title=title[:300],
            chapter=chapter,
            original_chapter=chapter,
            voluntary=voluntary,
            joint=joint,
            judge=judge,
            trustee=trustee,
            lead_case=lead_case,
            date_filed=date_filed,
            practice_owner=practice_owner,
            **extra,
        )
        case.full_clean()
        case.save()
        record_event(
            actor=actor,
            action="cases.case.opened",
            target=case,
            case_id=case.pk,
            after={
                "number": case.display_number,
                "chapter": chapter,
                "title": case.title,
            },
        )
    return case


def add_party(*, case: Case, data: PartyData, actor=None, user=None) -> Party:
    """Add a party (with aliases); the full tax id is stored encrypted, last four in clear."""
    with transaction.atomic():
        party = Party(
            case=case,
            role=data.role,
            name=data.name.strip()[:200],
            is_entity=data.is_entity,
            address_lines=[line.strip() for line in data.address_lines if line.strip()],
            city=data.city,
            state=data.state.upper(),
            zip_code=data.zip_code,
            county=data.county,
            email=data.email,
            tax_id_kind=data.tax_id_kind,
            tax_id_encrypted=encrypt(data.tax_id_digits),
            tax_id_last4=data.tax_id_digits[-4:] if data.tax_id_digits else "",
            user=user,
        )
        party.full_clean()
        party.save()
        for kind, name in data.aliases:
            PartyAlias.objects.create(party=party, kind=kind, name=name.strip()[:200])
        record_event(
            actor=actor,
            action="cases.party.added",
            target=party,
            case_id=case.pk,
            after={"name": party.name, "role": party.role},
        )
        refresh_case_search(case)
    return party


def refresh_case_search(case: Case) -> None:
    """Recompute the case's stored search vector: number, title, party names and aliases."""
    names = list(case.parties.values_list("name", flat=True))
    names += list(
        PartyAlias.objects.filter(party__case=case).values_list("name", flat=True)
    )
    document = " ".join([case.title, *names])
    Case.objects.filter(pk=case.pk).update(
        search_vector=SearchVector(Concat(Value(document), Value("")), config="simple")
    )


# -- Attorneys and parties ----------------------------------------------------------


def associate_attorney(
    *, case: Case, party: Party, attorney, notice: bool = True, actor=None
) -> Representation:
    """Record that `attorney` represents `party` in `case` (idempotent).

    The first filing on a party's behalf creates the association; `notice` gives
    the attorney NEFs without a separate appearance (cmecf.md 2.3). A terminated
    association is made current again. Runs in the caller's transaction if any.
    """
    with transaction.atomic():
        rep, created = Representation.objects.get_or_create(
            party=party, attorney=attorney, defaults={"case": case, "notice": notice}
        )
        changed = created
        if not created and (
            rep.terminated_on is not None or (notice and not rep.notice)
        ):
            rep.terminated_on = None
            rep.notice = rep.notice or notice
            rep.save(update_fields=["terminated_on", "notice", "updated_at"])
            changed = True
        if changed:
            record_event(
                actor=actor or attorney,
                action="cases.representation.added",
                target=rep,
                case_id=case.pk,
                after={
                    "party": party.name,
                    "attorney": str(attorney),
                    "notice": rep.notice,
                },
            )
    return rep


def terminate_party(*, party: Party, actor, on: dt.date | None = None) -> Party:
    """Mark a party terminated (kept on the case, shown as terminated)."""
    with transaction.atomic():
        if party.terminated_on is None:
            party.terminated_on = on or clock.today()
            party.save(update_fields=["terminated_on", "updated_at"])
            record_event(
                actor=actor,
                action="cases.party.terminated",
                target=party,
                case_id=party.case_id,
                after={"terminated_on": party.terminated_on.isoformat()},
            )
    return party


def add_matrix_creditors(*, case: Case, result, actor) -> tuple[list[Party], int]:
    """Add the matrix creditors not already on the case; return (added, skipped count).

    `result` is a cases.matrix.MatrixResult with no errors. A creditor already on
    the case (same matrix key) is skipped, so an amended matrix adds only new
    creditors. Locks the case row, so two uploads at once cannot both add one creditor.
    """
    from .matrix import new_creditors

    if not result.ok:
        raise UserFacingError(
            "The matrix has errors; correct the file and upload it again."
        )
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        existing = Party.objects.filter(case=case, from_matrix=True).values_list(
            "matrix_key", flat=True
        )
        fresh = new_creditors(result, list(existing))
        parties = [
            Party(
                case=case,
                role=Party.Role.CREDITOR,
                name=creditor.name[:200],
                is_entity=True,
                # A foreign address keeps its last two lines as written (city line, country).
                address_lines=[
                    line[:120]
                    for line in (
                        creditor.lines[1:-1] if creditor.city else creditor.lines[1:]
                    )
                ],
                city=creditor.city,
                state=creditor.state,
                zip_code=creditor.zip,
                from_matrix=True,
                matrix_key=creditor.key[:300],
            )
            for creditor in fresh
        ]
        Party.objects.bulk_create(parties)
        skipped = len(result.creditors) - len(parties)
        record_event(
            actor=actor,
            action="cases.matrix.loaded",
            target=case,
            case_id=case.pk,
            after={"added": len(parties), "skipped": skipped},
        )
        refresh_case_search(case)
    return parties, skipped


# -- Judge and trustee assignment ---------------------------------------------------

# Which trustee panel serves a chapter; chapters 11 and 15 get no trustee at filing.
TRUSTEE_KIND_FOR_CHAPTER = {
    "7": Trustee.Kind.PANEL_7,
    "12": Trustee.Kind.STANDING_12,
    "13": Trustee.Kind.STANDING_13,
}


def rotation_for(*, office: Office, chapter: str) -> AssignmentRotation:
    """Return the office's rotation for `chapter`, creating the default one if missing.

    The default takes every active judge of the court and every active trustee of the
    chapter's panel serving the office (or the court, if none is tied to an office).
    The clerk's office edits rotations in the admin.
    """
    rotation, created = AssignmentRotation.objects.get_or_create(
        office=office, chapter=chapter
    )
    if created:
        rotation.judges.set(
            Judge.objects.filter(court=office.court, active=True).order_by("id")
        )
        kind = TRUSTEE_KIND_FOR_CHAPTER.get(chapter)
        if kind:
            trustees = Trustee.objects.filter(
                court=office.court, kind=kind, active=True
            )
            local = trustees.filter(offices=office)
            rotation.trustees.set(
                (local if local.exists() else trustees).order_by("id")
            )
    return rotation


def next_assignment(
    *, office: Office, chapter: str
) -> tuple[Judge | None, Trustee | None]:
    """Take the next judge and trustee from the rotation; locks the rotation row.

    Must run inside the caller's transaction (the case opening).
    """
    rotation = rotation_for(office=office, chapter=chapter)
    rotation = AssignmentRotation.objects.select_for_update().get(pk=rotation.pk)
    judges = list(rotation.judges.filter(active=True).order_by("id"))
    trustees = list(rotation.trustees.filter(active=True).order_by("id"))
    judge = judges[rotation.next_judge_index % len(judges)] if judges else None
    trustee = (
        trustees[rotation.next_trustee_index % len(trustees)] if trustees else None
    )
    rotation.next_judge_index = (rotation.next_judge_index + 1) % max(len(judges), 1)
    rotation.next_trustee_index = (rotation.next_trustee_index + 1) % max(
        len(trustees), 1
    )
    rotation.save(
        update_fields=["next_judge_index", "next_trustee_index", "updated_at"]
    )
    return judge, trustee


def us_trustee_for(court: Court) -> Trustee | None:
    return (
        Trustee.objects.filter(court=court, kind=Trustee.Kind.US_TRUSTEE, active=True)
        .order_by("id")
        .first()
    )


def add_official_parties(*, case: Case, actor=None) -> None:
    """Add the case trustee and the U.S. Trustee as parties (with their logins)."""
    officials = []
    if case.trustee_id:
        officials.append((Party.Role.TRUSTEE, case.trustee))
    ust = us_trustee_for(case.court)
    if ust is not None:
        officials.append((Party.Role.US_TRUSTEE, ust))
    for role, trustee in officials:
        lines = [line for line in trustee.address.splitlines() if line.strip()]
        add_party(
            case=case,
            actor=actor,
            user=trustee.user,
            data=PartyData(
                role=role,
                name=trustee.name,
                is_entity=role == Party.Role.US_TRUSTEE,
                email=trustee.email,
                address_lines=lines[:3],
            ),
        )


# -- Case life: every change comes from a docket entry ---------------------------------


def _flag_codes(case: Case, action: str) -> tuple[set[str], set[str]]:
    to_set, to_clear = set(), set()
    for flag in CaseFlagType.objects.filter(court_id=case.court_id, active=True):
        if action in flag.set_by:
            to_set.add(flag.code)
        if action in flag.cleared_by:
            to_clear.add(flag.code)
    return to_set, to_clear


def apply_flags(case: Case, action: str) -> list[str]:
    """Set and clear the court's flags for `action`; saves the case's flags."""
    to_set, to_clear = _flag_codes(case, action)
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
    actor,
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
    actor,
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
    *, case: Case, actor, on, entry_id, status: str, date_field: str, action: str
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
    *, case: Case, actor, on: dt.date | None = None, entry_id: int | None = None
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
    *, case: Case, actor, on: dt.date | None = None, entry_id: int | None = None
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
    *, case: Case, actor, on: dt.date | None = None, entry_id: int | None = None
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
    *, case: Case, actor, on: dt.date | None = None, entry_id: int | None = None
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
    actor,
    due: dt.date | None = None,
    due_at: dt.datetime | None = None,
    label: str = "",
    location: str = "",
    entry_id: int | None = None,
    rule: str = "",
) -> Deadline:
    """Set a deadline on the case (`rule`: how cases.calendar computed the date). A case-wide deadline (341 meeting, bar dates,
    objection to discharge, installments) replaces the open one of the same kind."""
    if due is None and due_at is None:
        raise UserFacingError("A deadline needs a date.")
    with transaction.atomic():
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
            due=due if due is not None else clock.local_date(due_at),
            due_at=due_at,
            location=location[:200],
            source_entry_id=entry_id,
            rule=(rule or _given_rule(due, due_at))[:600],
        )
        deadline.full_clean()
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
    actor,
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


def set_case_trustee(
    *, case: Case, trustee: Trustee | None, actor, entry_id: int | None = None
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
    *, case: Case, judge: Judge | None, actor, entry_id: int | None = None
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
    """Give the demo court its case flags (ECF_DEMO_SEEDERS hook; idempotent)."""
    for code, label, set_by, cleared_by in DEFAULT_FLAGS:
        CaseFlagType.objects.get_or_create(
            court=court,
            code=code,
            defaults={"label": label, "set_by": set_by, "cleared_by": cleared_by},
        )


@transaction.atomic
def record_court_closure(*, actor, kind: str, starts_on, ends_on, reason: str):
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
def withdraw_court_closure(*, actor, closure) -> None:
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
