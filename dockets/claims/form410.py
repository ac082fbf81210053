"""Official Form 410 (Proof of Claim) as a PDF, generated from what the filer entered.

Pure: a template render plus WeasyPrint, no database. The PDF is tagged (PDF/UA-1)
with <html lang> and <title>, so a screen reader can read the filed claim.
Runs before the filing transaction, never under the case lock (STYLE.md 7.7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from dockets.text import money


@dataclass
class Form410Data:
    """The answers of Form 410, in the form's own order (Parts 1 to 3)."""

    court_name: str
    case_number: str
    debtor: str
    creditor_name: str
    creditor_address: str
    amount_cents: int
    basis: str
    creditor_email: str = ""
    creditor_phone: str = ""
    payment_name: str = ""
    payment_address: str = ""
    account_last4: str = ""
    interest_fees: bool = False
    secured_cents: int = 0
    priority_cents: int = 0
    priority_basis: str = ""
    unsecured_cents: int = 0
    admin_cents: int = 0
    debt_incurred: dt.date | None = None
    amends_claim: str = ""
    signer_name: str = ""
    signer_title: str = ""
    signed_on: dt.date | None = None
    epoc: bool = False
    attachments: list[str] = field(default_factory=list)


def render_form410(data: Form410Data) -> bytes:
    """Return Form 410 as PDF bytes (PDF/UA-1)."""
    from weasyprint import HTML

    html = render_to_string(
        "dockets/claims/form410_pdf.html",
        {
            "d": data,
            "amount": money(data.amount_cents),
            "secured": money(data.secured_cents),
            "priority": money(data.priority_cents),
            "unsecured": money(data.unsecured_cents),
            "admin": money(data.admin_cents),
            "address_lines": [
                x for x in data.creditor_address.splitlines() if x.strip()
            ],
            "payment_lines": [
                x for x in data.payment_address.splitlines() if x.strip()
            ],
        },
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
