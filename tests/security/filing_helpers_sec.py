"""Small builders for the gate tests: a case in a given office, a party."""

from __future__ import annotations

from django.db import transaction


def case_in(court, office, *, trustee, title="Gate Debtor"):
    from cases.models import Judge
    from cases.services import create_case

    judge = Judge.objects.get(court=court, initials="LT")
    with transaction.atomic():
        return create_case(
            court=court,
            office=office,
            chapter="7",
            title=title,
            judge=judge,
            trustee=trustee,
        )


def add_party_to(case, role, name):
    from cases.services import PartyData, add_party

    return add_party(case=case, data=PartyData(role=role, name=name))
