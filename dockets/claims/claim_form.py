"""The Form 410 a claim filing produces: its answers, read from the case and the claim,
and its PDF, written before the filing's transaction (never under the case lock)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cases.models import Case
from core import clock
from dockets.services import UploadedDocument

from .form410 import Form410Data, render_form410
from .reads import first_debtor

if TYPE_CHECKING:
    from .services import ClaimData


def form410_data(
    *, case: Case, data: ClaimData, epoc: bool, amends: str
) -> Form410Data:
    """The answers of the Form 410 that filing `data` in `case` produces.

    The ePOC review page shows this to the filer before signing; the filing renders the
    same answers as the PDF. Reads the case's debtor; writes nothing.
    """
    # Every debtor of the case, read without LIMIT (reads.first_debtor): planned once
    # per connection, ORDER BY id LIMIT 1 over a case's parties got a generic plan that
    # walked the whole party table (0.8 s a claim on the full-size data set).
    debtor = first_debtor(case.pk)
    return Form410Data(
        court_name=case.court.district,
        case_number=case.long_number,
        debtor=debtor.name if debtor else case.title,
        creditor_name=data.creditor_name,
        creditor_address=data.creditor_address,
        creditor_email=data.creditor_email,
        creditor_phone=data.creditor_phone,
        payment_name=data.payment_name,
        payment_address=data.payment_address,
        amount_cents=data.amount_cents,
        basis=data.basis,
        account_last4=data.account_last4,
        interest_fees=data.interest_fees,
        secured_cents=data.secured_cents,
        priority_cents=data.priority_cents,
        priority_basis=data.priority_basis,
        unsecured_cents=data.unsecured_cents,
        admin_cents=data.admin_cents,
        debt_incurred=data.debt_incurred,
        amends_claim=amends,
        signer_name=data.signer_name or data.creditor_name,
        signer_title=data.signer_title,
        signed_on=clock.today(),
        epoc=epoc,
        attachments=data.attachment_names,
        arrearage_cents=data.arrearage_cents,
        mortgage=data.mortgage,
    )


def write_form410(
    *, case: Case, data: ClaimData, epoc: bool, amends: str, folder: Path
) -> UploadedDocument:
    form = form410_data(case=case, data=data, epoc=epoc, amends=amends)
    rendered = render_form410(form)
    path = folder / "form410.pdf"
    path.write_bytes(rendered.pdf)
    return UploadedDocument.from_path(
        path, filename="Form 410 Proof of Claim.pdf", page_count=rendered.pages
    )
