"""Demo claims (a seed_demo seeder, dockets/apps.py): four claims in the demo chapter 7 case.

Filed through the services, as the creditors would file them: one with a login, three
through ePOC, one of them amended. Idempotent: a case that has claims is left alone.
"""

from __future__ import annotations

from cases.models import Case
from core.crypto import decrypt
from dockets.models import Event

from .models import Claim
from .services import ClaimData, amend_claim, file_claim


def _user(users: dict, local: str):
    return users.get(f"{local}@ecf.test") or users.get(local)


def seed(*, court, users, stdout) -> None:
    """File the demo claims in the chapter 7 case (if it exists and has none)."""
    case = (
        Case.objects.filter(court=court, chapter="7", case_type="bk")
        .order_by("id")
        .first()
    )
    if case is None or not Event.objects.filter(code="claim").exists():
        return
    if Claim.objects.filter(case=case).exists():
        return
    creditor = _user(users, "creditor")
    file_claim(
        case=case,
        filer=creditor,
        data=ClaimData(
            creditor_name="Coastal Federal Credit Union",
            creditor_address="Attn: Bankruptcy Dept\nP.O. Box 9000\nSan Diego, CA 92169",
            creditor_email="creditor@ecf.test",
            basis="Mortgage note secured by 4120 Ocean View Blvd",
            amount_cents=31_245_017,
            secured_cents=29_800_000,
            unsecured_cents=1_445_017,
            account_last4="7731",
            interest_fees=True,
            signer_name=creditor.get_full_name()
            if creditor
            else "Coastal Federal Credit Union",
        ),
    )
    file_claim(
        case=case,
        epoc=True,
        data=ClaimData(
            creditor_name="Capital One Bank (USA), N.A.",
            creditor_address="P.O. Box 30285\nSalt Lake City, UT 84130-0285",
            basis="Credit card",
            amount_cents=481_233,
            unsecured_cents=481_233,
            account_last4="4417",
            signer_name="Jordan Blake",
            signer_title="Bankruptcy Specialist",
        ),
    )
    file_claim(
        case=case,
        epoc=True,
        data=ClaimData(
            creditor_name="Franchise Tax Board",
            creditor_address="Bankruptcy Section MS A340\nP.O. Box 2952\nSacramento, CA 95812-2952",
            basis="Personal income tax, 2024",
            governmental=True,
            amount_cents=261_140,
            priority_cents=210_000,
            priority_basis="11 U.S.C. 507(a)(8) Taxes or penalties owed to governmental units",
            unsecured_cents=51_140,
            signer_name="R. Okafor",
            signer_title="Revenue Officer",
        ),
    )
    hospital = file_claim(
        case=case,
        epoc=True,
        data=ClaimData(
            creditor_name="Sharp Memorial Hospital",
            creditor_address="7901 Frost Street\nSan Diego, CA 92123",
            basis="Medical services",
            amount_cents=3_261_140,
            unsecured_cents=3_261_140,
            signer_name="Ana Ruiz",
            signer_title="Patient Accounts",
        ),
    )
    amend_claim(
        claim=hospital.claim,
        epoc=True,
        # The hospital amends with the code printed on its original ePOC receipt.
        claim_code=decrypt(hospital.claim.epoc_code_encrypted),
        data=ClaimData(
            creditor_name="Sharp Memorial Hospital",
            creditor_address="7901 Frost Street\nSan Diego, CA 92123",
            basis="Medical services (insurance payment applied)",
            amount_cents=3_198_000,
            unsecured_cents=3_198_000,
            signer_name="Ana Ruiz",
            signer_title="Patient Accounts",
        ),
    )
    stdout.write(f"Claims: 4 claims filed in case {case.display_number}")
