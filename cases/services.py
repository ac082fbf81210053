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

from .models import Case, CaseCounter, Court, Judge, Office, Party, PartyAlias, Trustee


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
    counter = CaseCounter.objects.select_for_update().get(court=court, year=year, case_type=case_type)
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
        number = next_case_number(court=court, year=date_filed.year, case_type=case_type)
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
        record_event(actor=actor, action="cases.case.opened", target=case, case_id=case.pk,
                     after={"number": case.display_number, "chapter": chapter, "title": case.title})
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
        record_event(actor=actor, action="cases.party.added", target=party, case_id=case.pk,
                     after={"name": party.name, "role": party.role})
        refresh_case_search(case)
    return party


def refresh_case_search(case: Case) -> None:
    """Recompute the case's stored search vector: number, title, party names and aliases."""
    names = list(case.parties.values_list("name", flat=True))
    names += list(PartyAlias.objects.filter(party__case=case).values_list("name", flat=True))
    document = " ".join([case.title, *names])
    Case.objects.filter(pk=case.pk).update(
        search_vector=SearchVector(Concat(Value(document), Value("")), config="simple")
    )
