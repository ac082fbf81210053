"""The bulk loader (manage.py load_claims): COPY, numbering, derived history, totals."""

import io

import pytest
from claimkit import (
    case_fixture,  # noqa: F401 (the `case` fixture)
    claim_data,
)
from django.core.management import CommandError, call_command

from cases.models import Case
from dockets.claims import services
from dockets.claims.models import Claim, ClaimActivity, ClaimVersion
from dockets.claims.selectors import aggregate_totals, case_totals

pytestmark = pytest.mark.django_db


def test_load_claims_continues_the_numbering_and_reports_the_ratio(case, users):
    """Bulk claims follow the claims already filed, get versions and history rows, and the
    totals equal the sum of all claims; the command reports its ratio to a raw COPY."""
    services.file_claim(case=case, data=claim_data(), filer=users["creditor"])
    out = io.StringIO()
    call_command("load_claims", "--case", str(case.pk), "--count", "300", stdout=out)
    assert "Loaded 300 claims (2-301)" in out.getvalue()
    assert "ratio" in out.getvalue()
    assert Case.objects.get(pk=case.pk).last_claim_number == 301
    numbers = list(
        Claim.objects.filter(case=case)
        .order_by("number")
        .values_list("number", flat=True)
    )
    assert numbers == list(range(1, 302))
    assert ClaimVersion.objects.filter(claim__case=case).count() == 301
    row = ClaimActivity.objects.get(claim__case=case, claim__number=2)
    claim = Claim.objects.get(case=case, number=2)
    assert row.label == "2-1"
    assert (
        row.text
        == f"Claim #2 filed by Creditor 000002 LLC, Amount claimed: {claim.amount_shown}"
    )
    assert case_totals(case) == aggregate_totals(Claim.objects.filter(case=case))
    version = services.file_claim(case=case, data=claim_data(), epoc=True)
    assert version.claim.number == 302


def test_load_claims_refuses_a_missing_case():
    """An unknown case id is a plain error, not a traceback."""
    with pytest.raises(CommandError, match="No case with id"):
        call_command("load_claims", "--case", "999999", "--count", "5")
