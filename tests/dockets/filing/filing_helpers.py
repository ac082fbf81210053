"""Helpers shared by the filing tests (imported by the conftest and tests of this package)."""

from __future__ import annotations

from django.db import transaction


def make_case(court, *, title: str, chapter: str = "7", actor=None):
    from cases.models import Judge, Office, Trustee
    from cases.services import create_case

    office = Office.objects.get(court=court, number=3)
    judge = Judge.objects.get(court=court, initials="LT")
    trustee = Trustee.objects.filter(court=court, kind=Trustee.Kind.PANEL_7).first()
    with transaction.atomic():
        return create_case(
            court=court,
            office=office,
            chapter=chapter,
            title=title,
            judge=judge,
            trustee=trustee if chapter == "7" else None,
            actor=actor,
        )


def add(case, role, name, *, user=None, actor=None):
    from cases.services import PartyData, add_party

    return add_party(
        case=case,
        actor=actor,
        user=user,
        data=PartyData(
            role=role, name=name, city="San Diego", state="CA", zip_code="92101"
        ),
    )


def text_entry(case, code: str, filer, *, parties=()):
    """Docket a text-only entry (no PDF) the way the seed does: through create_entry."""
    from dockets.models import DocketEntry, Event
    from dockets.services import FilingRequest, create_entry, lock_case

    with transaction.atomic():
        locked = lock_case(case.pk)
        return create_entry(
            FilingRequest(
                case=locked,
                events=[Event.objects.get(code=code)],
                filer=filer,
                parties=list(parties),
                fee_status=DocketEntry.FeeStatus.PAID,
            ),
            case=locked,
        )
