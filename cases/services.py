"""Writes on cases: opening a case, its parties and their attorneys.

Opening a case is a filing: dockets.services calls these inside the transaction that
dockets the petition as entry 1. The other writes on cases live beside this module:
cases.assignment (judge and trustee rotation), cases.status (conversion, dismissal,
discharge, closing, reopening, flags, judge and trustee changes), cases.deadlines,
cases.trustee_members and cases.closures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import transaction
from django.db.models import F, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Concat

from core import clock
from core.audit import record_event
from core.crypto import encrypt
from core.errors import UserFacingError
from filers.models import User

from .models import (
    Case,
    CaseCounter,
    Court,
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
    added_in_filing: bool = False  # a filer added it in the filing wizard
    matrix_key: str = ""  # cases.matrix.creditor_key of its name and address lines


class PartyRoleRefused(UserFacingError):
    """A filer tried to add a party with a role only case opening or the clerk may give."""


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
    actor: User | None = None,
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


def add_party(
    *, case: Case, data: PartyData, actor: User | None = None, user: User | None = None
) -> Party:
    """Add a party (with aliases); the full tax id is stored encrypted, last four in clear.

    A party a filer adds in the filing wizard may have only a role anyone may give
    (cases.permissions.may_add_party_role); debtor, trustee and U.S. Trustee parties
    come from case opening and the clerk.
    """
    from .permissions import may_add_party_role

    if data.added_in_filing and not may_add_party_role(actor, data.role):
        raise PartyRoleRefused(
            "You may add only creditors and other interested parties. Debtors, "
            "trustees and the U.S. Trustee are added when the case is opened or by "
            "the clerk's office."
        )
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
            added_in_filing=data.added_in_filing,
            matrix_key=data.matrix_key[:300],
        )
        # The case and user are the rows given: no query to find them again.
        party.full_clean(exclude=["case", "user"])
        party.save()
        aliases = [
            PartyAlias.objects.create(party=party, kind=kind, name=name.strip()[:200])
            for kind, name in data.aliases
        ]
        record_event(
            actor=actor,
            action="cases.party.added",
            target=party,
            case_id=case.pk,
            after={"name": party.name, "role": party.role},
        )
        add_to_case_search(case, [party.name, *(alias.name for alias in aliases)])
    return party


def add_to_case_search(case: Case, names: list[str]) -> None:
    """Add a new party's names to the case's search vector: one UPDATE that joins their
    words to the words already there.

    A case search matches words (cases.selectors.name_query), so this finds exactly
    what refresh_case_search would, without reading every party of the case again: a
    claim from a creditor new to a case of 20,000 creditors costs one short UPDATE, not
    a re-read of 20,000 names and a new vector of all of them under the case lock. A
    case whose vector was never made gets the full one.
    """
    appended = Case.objects.filter(pk=case.pk, search_vector__isnull=False).update(
        search_vector=CombinedExpression(
            F("search_vector"),
            "||",
            SearchVector(Concat(Value(" ".join(names)), Value("")), config="simple"),
            output_field=SearchVectorField(),
        )
    )
    if not appended:
        refresh_case_search(case)


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
    *,
    case: Case,
    party: Party,
    attorney,
    notice: bool = True,
    actor: User | None = None,
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


def terminate_party(*, party: Party, actor: User, on: dt.date | None = None) -> Party:
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


def add_matrix_creditors(*, case: Case, result, actor: User) -> tuple[list[Party], int]:
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
        # NO KEY: rows that refer to the case do not wait (dockets.services.lock_case).
        Case.objects.select_for_update(no_key=True).filter(pk=case.pk).first()
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
