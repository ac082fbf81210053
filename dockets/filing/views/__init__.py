"""Views of the filing wizard, the receipt, the filer's transaction log and fee payment.

Thin: parse the request, get objects through access functions (missing and forbidden
both 404), call one service, render or redirect. Every screen works without
JavaScript; each wizard screen shows the filing clock.
"""

from .drafts import draft_discard, draft_file, filing_start, filing_step
from .receipts import fee_pay, fees_due, filing_log, filing_receipt, pay_gateway

__all__ = [
    "draft_discard",
    "draft_file",
    "fee_pay",
    "fees_due",
    "filing_log",
    "filing_receipt",
    "filing_start",
    "filing_step",
    "pay_gateway",
]
