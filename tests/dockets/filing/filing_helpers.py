"""Helpers shared by the filing tests (imported by the conftest and tests of this package)."""

from __future__ import annotations

from django.db import transaction
from factories import make_case as make_case  # one builder for every test folder


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
