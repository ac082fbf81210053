"""Helpers for the claims tests: a case with a debtor, its attorney and a trustee; claim data.

No conftest.py here: a second module named `conftest` would shadow tests/conftest.py for
`from conftest import ...` elsewhere in the run. Test modules import the `case` fixture.
"""

from typing import Any

import pytest

from dockets.claims.services import ClaimData


def make_case(demo, *, chapter="7", title="Maria L. Gonzalez", **extra):
    from cases.models import Judge, Office, Party, Representation, Trustee
    from cases.services import PartyData, add_party, create_case

    court = demo.court
    office = Office.objects.get(court=court, number=3)
    judge = Judge.objects.get(court=court, initials="LT")
    kind = Trustee.Kind.STANDING_13 if chapter == "13" else Trustee.Kind.PANEL_7
    trustee = Trustee.objects.get(court=court, kind=kind)
    case = create_case(
        court=court,
        office=office,
        chapter=chapter,
        title=title,
        judge=judge,
        trustee=trustee,
        **extra,
    )
    debtor = add_party(
        case=case,
        data=PartyData(
            role=Party.Role.DEBTOR,
            name=title,
            address_lines=["1 Main St"],
            city="San Diego",
            state="CA",
            zip_code="92101",
        ),
    )
    Representation.objects.create(
        case=case, party=debtor, attorney=demo.users["attorney"]
    )
    return case


def claim_data(**overrides) -> ClaimData:
    values: dict[str, Any] = {
        "creditor_name": "Coastal Federal Credit Union",
        "creditor_address": "Attn: Bankruptcy Dept\nP.O. Box 9000\nSan Diego, CA 92169-1234",
        "creditor_phone": "619-555-0100",
        "basis": "Money loaned",
        "amount_cents": 3_261_140,
        "secured_cents": 1_000_000,
        "priority_cents": 0,
        "unsecured_cents": 2_261_140,
        "account_last4": "1234",
        "signer_name": "Pat Creditor",
    }
    values.update(overrides)
    return ClaimData(**values)


def wait_for(predicate, timeout=30.0, interval=0.1):
    """Poll until predicate() is truthy; return its value or fail after timeout."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {predicate}")


@pytest.fixture(name="case")
def case_fixture(demo):
    """An open chapter 7 case: debtor represented by the demo attorney, panel trustee."""
    return make_case(demo)
