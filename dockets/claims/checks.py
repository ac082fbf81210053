"""Pure checks of what a claimant typed: amounts that add up, and redaction (FRBP 9037).

No database. Forms call these for field errors; the services call them again, so a
claim filed by any path (form, demo data, another caller) obeys the same rules.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dockets.text import money

from .models import MAX_CLAIM_CENTS

# FRBP 9037(a): only the last four digits of a Social Security or taxpayer number
# and of a financial account number may appear in a filing.
REDACTION_MESSAGE = gettext_lazy(
    "This looks like a full account number or Social Security number. Court rules "
    "(Fed. R. Bankr. P. 9037) allow only the last 4 digits: remove the rest (for "
    "example write XXXX-1234) before filing."
)
_SSN = re.compile(r"(?<!\d)\d{3}[-\s.]\d{2}[-\s.]\d{4}(?!\d)")
# A run of digits, possibly grouped by single spaces or dashes (card and account
# numbers are typed that way), e.g. "4111 1111 1111 1111" or "0012-3456-789".
_DIGIT_RUN = re.compile(r"\d(?:[\s-]?\d)+")
# Formatted U.S. phone numbers and ZIP+4 codes are long digit runs a notice address
# legitimately holds, so they are not taken for account numbers.
_PHONE = re.compile(r"^\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}$")
_ZIP4 = re.compile(r"^\d{5}-\d{4}$")
# Fewer digits than this in one run is a street number, a date or an amount.
_ACCOUNT_MIN_DIGITS = 9


def find_unredacted(text: str) -> str | None:
    """Return the first full SSN or account number in `text`, or None if it is clean."""
    if not text:
        return None
    match = _SSN.search(text)
    if match:
        return match.group(0)
    for match in _DIGIT_RUN.finditer(text):
        run = match.group(0)
        digits = re.sub(r"\D", "", run)
        if len(digits) < _ACCOUNT_MIN_DIGITS:
            continue
        if _PHONE.match(run) or _ZIP4.match(run):
            continue
        return run
    return None


def redaction_problems(values: dict[str, str]) -> dict[str, str]:
    """Return {field: message} for each free-text field holding an unredacted number."""
    return {
        name: str(REDACTION_MESSAGE)
        for name, text in values.items()
        if find_unredacted(text or "")
    }


def parse_money(text: str) -> int:
    """Read `$1,234.56` as cents; raise ValueError with a plain message."""
    cleaned = (text or "").strip().replace("$", "").replace(",", "").replace(" ", "")
    if cleaned == "":
        return 0
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(
            _("Enter an amount in dollars and cents, for example 1,234.56.")
        ) from None
    if not value.is_finite():
        raise ValueError(
            _("Enter an amount in dollars and cents, for example 1,234.56.")
        )
    if value < 0:
        raise ValueError(_("An amount cannot be negative."))
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(
            _("Enter the amount to the cent (at most 2 digits after the point).")
        )
    cents = int(value * 100)
    if cents > MAX_CLAIM_CENTS:
        raise ValueError(_too_much())
    return cents


def _too_much() -> str:
    return _("That is more than %(limit)s. Check the amount.") % {
        "limit": money(MAX_CLAIM_CENTS)
    }


def amount_problems(
    *,
    amount_cents: int,
    secured_cents: int,
    priority_cents: int,
    unsecured_cents: int,
    admin_cents: int = 0,
) -> dict[str, str]:
    """Return {field: message} when the parts do not add up to the amount claimed, to the cent."""
    problems: dict[str, str] = {}
    parts = {
        "amount": amount_cents,
        "secured": secured_cents,
        "priority": priority_cents,
        "unsecured": unsecured_cents,
        "admin": admin_cents,
    }
    for name, value in parts.items():
        if value < 0:
            problems[name] = _("An amount cannot be negative.")
        elif value > MAX_CLAIM_CENTS:
            problems[name] = _too_much()
    if problems:
        return problems
    if amount_cents <= 0:
        return {"amount": _("Enter the amount of the claim (more than $0).")}
    total = secured_cents + priority_cents + unsecured_cents + admin_cents
    if total != amount_cents:
        admin = (
            _(" + administrative %(admin)s") % {"admin": money(admin_cents)}
            if admin_cents
            else ""
        )
        problems["amount"] = _(
            "The parts do not add up: secured %(secured)s + priority %(priority)s + "
            "unsecured %(unsecured)s%(admin)s = %(total)s, but the amount claimed is "
            "%(amount)s. Make the parts add up to the amount claimed, to the cent."
        ) % {
            "secured": money(secured_cents),
            "priority": money(priority_cents),
            "unsecured": money(unsecured_cents),
            "admin": admin,
            "total": money(total),
            "amount": money(amount_cents),
        }
    return problems
