"""The names a main document is checked against (the debtor-name mismatch warning):
every debtor-side party's name and aliases, in one query compiled once per process."""

from __future__ import annotations

import pytest
from factories import make_case

from cases.models import Party, PartyAlias
from dockets.filing.wizard import debtor_names

pytestmark = pytest.mark.django_db


def test_the_debtors_names_then_their_aliases_and_no_one_else(demo):
    case = make_case(demo.court, title="In re Ana Ruiz", chapter="7")
    other = make_case(demo.court, title="In re Luis Ruiz", chapter="7")
    debtor = Party.objects.create(case=case, role=Party.Role.DEBTOR, name="Ana Ruiz")
    joint = Party.objects.create(
        case=case, role=Party.Role.JOINT_DEBTOR, name="Luis Ruiz"
    )
    Party.objects.create(case=case, role=Party.Role.CREDITOR, name="Coastal Bank")
    Party.objects.create(case=other, role=Party.Role.DEBTOR, name="Somebody Else")
    PartyAlias.objects.create(party=debtor, kind="aka", name="Ana M. Ruiz")
    PartyAlias.objects.create(party=joint, kind="dba", name="Ruiz Landscaping")
    assert debtor_names(case) == [
        "Ana Ruiz",
        "Luis Ruiz",
        "Ana M. Ruiz",
        "Ruiz Landscaping",
    ]
    assert debtor_names(other) == ["Somebody Else"]
    empty = make_case(demo.court, title="In re Nobody", chapter="7")
    assert debtor_names(empty) == []
