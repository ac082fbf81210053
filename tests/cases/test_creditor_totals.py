"""The case's creditor count is a total the database keeps (cases.CreditorTotal).

Statement triggers on cases_party keep it for every way a party is written (the ORM's
create and bulk_create, a role or case changed by an UPDATE, a delete, raw SQL), and the
docket's header reads it instead of counting a mega case's 10^6 creditors each time.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from factories import chapter7_case, sharp_creditor
from testkit import search

from cases.models import Party
from cases.selectors import creditor_count
from cases.services import add_party
from dockets.reports.selectors import _docket_case_query

pytestmark = pytest.mark.django_db


def _creditor(case, name: str) -> Party:
    return Party(case=case, role=Party.Role.CREDITOR, name=name, city="San Diego")


def _header_count(client, case) -> str:
    html = client.get(reverse("dockets:docket", kwargs={"case_id": case.pk})).content
    return search(r"Creditors: \d+", html.decode()).group(0)


def test_every_way_of_writing_a_party_moves_the_count(demo, client):
    case = chapter7_case(demo, actor=demo.users["attorney"])
    other = chapter7_case(demo, title="Other Debtor", actor=demo.users["attorney"])
    assert creditor_count(case) == 0
    assert _header_count(client, case) == "Creditors: 0"

    add_party(case=case, data=sharp_creditor())  # the service
    Party.objects.bulk_create([_creditor(case, f"Creditor {n}") for n in range(5)])
    Party.objects.create(
        case=case, role=Party.Role.INTERESTED_PARTY, name="Not counted"
    )
    names = [f.column for f in Party._meta.concrete_fields if f.column != "id"]
    values = ["'Raw'" if column == "name" else column for column in names]
    template = Party.objects.get(case=case, name="Creditor 4")
    with connection.cursor() as cursor:  # raw SQL, as a bulk loader writes
        cursor.execute(
            f"INSERT INTO cases_party ({', '.join(names)}) SELECT {', '.join(values)}"  # noqa: S608 (column names from the model)
            " FROM cases_party, generate_series(1, 3) WHERE id = %s",
            [template.pk],
        )
    assert creditor_count(case) == 9
    assert _header_count(client, case) == "Creditors: 9"

    # A role changed, a creditor moved to another case, an address edited, a delete.
    Party.objects.filter(case=case, name="Creditor 0").update(
        role=Party.Role.INTERESTED_PARTY
    )
    Party.objects.filter(case=case, name="Creditor 1").update(case=other)
    Party.objects.filter(case=case, name="Creditor 2").update(city="Chula Vista")
    Party.objects.filter(case=case, name="Raw").delete()
    assert creditor_count(case) == 4
    assert creditor_count(other) == 1
    assert _header_count(client, other) == "Creditors: 1"


def test_the_docket_header_reads_the_total_not_the_parties():
    # The header's query must not count cases_party: the mega case's 10^6 creditors
    # made every page of its docket cost ~40 ms of the database's CPU.
    sql = str(_docket_case_query(1).query)
    assert "cases_creditortotal" in sql
    assert "cases_party" not in sql
