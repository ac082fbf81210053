"""Bulk writes larger than one server-bound statement can carry (65,535 parameters)
are written whole, in batches (ecf/db/base.py): a creditor matrix or a claims upload
of any size, a mass update of their rows."""

import pytest
from factories import make_case

from cases.models import Party, PartyAlias

pytestmark = pytest.mark.django_db


def test_a_bulk_insert_and_update_past_the_parameter_limit(demo):
    case = make_case(demo.court, title="In re Many Names")
    party = Party.objects.create(case=case, role=Party.Role.DEBTOR, name="Ana Ruiz")
    count = 25_000  # 3 values each: 75,000 parameters in one statement otherwise
    PartyAlias.objects.bulk_create(
        PartyAlias(party=party, kind="aka", name=f"Name {i}") for i in range(count)
    )
    assert PartyAlias.objects.filter(party=party).count() == count
    aliases = list(PartyAlias.objects.filter(party=party))
    for alias in aliases:
        alias.name = alias.name.upper()
        alias.kind = "dba"
    assert PartyAlias.objects.bulk_update(aliases, ["name", "kind"]) == count
    assert PartyAlias.objects.filter(party=party, kind="dba").count() == count
    assert PartyAlias.objects.filter(name="NAME 24999").exists()
    PartyAlias.objects.filter(party=party).delete()
