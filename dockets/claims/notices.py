"""The ePOC filer's copy of the claims notice (a filer without an account is not on the
pipeline's NEF list), sent through core.mail (inbox copy, delivery after commit).
"""

from __future__ import annotations

from django.conf import settings

from cases.models import Case
from core import clock
from dockets.models import DocketEntry
from dockets.text import money

from .models import Claim, ClaimVersion

# The receipt link is the ePOC filer's only key to the stamped copy (no account).
RECEIPT_SALT = "dockets.claims.epoc.receipt"


def receipt_token(version_id: int) -> str:
    """The signed token in an ePOC receipt's address."""
    from django.core import signing

    return signing.dumps(version_id, salt=RECEIPT_SALT)


def send_epoc_receipt(
    *, version: ClaimVersion, claim: Claim, case: Case, entry: DocketEntry
) -> None:
    """E-mail the ePOC filer (no account, so not on the pipeline's NEF list) the claims
    notice: claim number, amounts, and the link to the receipt with the stamped copy."""
    from django.urls import reverse

    from core.mail import send_message

    token = receipt_token(version.pk)
    link = settings.ECF_SITE_URL.rstrip("/") + reverse(
        "dockets:epoc-receipt", kwargs={"token": token}
    )
    register = settings.ECF_SITE_URL.rstrip("/") + reverse(
        "dockets:claims-register", kwargs={"case_id": case.pk}
    )
    lines = [
        "U.S. Bankruptcy Court",
        case.court.district,
        "Notice of Electronic Claims Filing",
        "",
        f"The following transaction was received from {claim.creditor_name} (ePOC) on "
        f"{clock.local(version.filed_at):%m/%d/%Y at %I:%M %p %Z}.",
        "",
        f"Case Name:     {case.title[:50]}",
        f"Case Number:   {case.display_number}",
        f"Claim Number:  {claim.number}-{version.version}",
        f"Claims Register: {register}",
        "Creditor Name: " + " / ".join([claim.creditor_name, *claim.creditor_lines]),
        f"Amount Claimed:  {money(claim.amount_cents)}",
        f"Amount Secured:  {money(claim.secured_cents)}",
        f"Amount Priority: {money(claim.priority_cents)}",
        "",
        f"Docket Text: {entry.text}",
        "",
        f"Your receipt and stamped copy: {link}",
    ]
    send_message(
        to_email=claim.creditor_email,
        subject=f"Proof of Claim {case.long_number}",
        text="\n".join(lines),
        kind="nef",
    )
