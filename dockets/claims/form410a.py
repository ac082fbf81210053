"""Official Form 410A (Mortgage Proof of Claim Attachment): its arithmetic, checked once.

FRBP 3001(c)(2)(C): a claim secured by a security interest in the debtor's principal
residence must be filed with the attachment the Official Form prescribes (Form 410A).
Its parts must add up, and its totals must agree with Form 410:

- Part 2 (total debt): principal balance + interest due + fees and costs due + escrow
  deficiency for funds advanced - total funds on hand = total debt, and the total debt
  equals Form 410 line 7 (the amount of the claim);
- Part 3 (arrearage as of the petition date): principal and interest due + prepetition
  fees due + escrow deficiency for funds advanced + projected escrow shortage - funds
  on hand = total prepetition arrearage, and that equals Form 410 line 9 (the amount
  necessary to cure any default as of the petition date);
- Part 4 (monthly payment): principal and interest + escrow + private mortgage
  insurance = total monthly payment.

`FORM_410A_LINES` is the one list of the form's lines and their labels: the claim form's
fields (forms.py), the rows of the Form 410 PDF (form410.py) and the checks below use it.
`form410a_problems` is the one check. ClaimData.check() calls it, and every claim path
(the logged-in form, ePOC, the API, the batch upload) files through
dockets.claims.services, which calls ClaimData.check(); no path can go around it.
Pure: no database.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.utils.translation import gettext_lazy as _

from dockets.text import money

from .models import MAX_CLAIM_CENTS

FORM_410A = "Form 410A (Mortgage Proof of Claim Attachment)"

# Every line of Form 410A in the form's order: (Form410A field, its label). Labels are
# translated on the claim form's pages; the Form 410 PDF renders them in English.
FORM_410A_LINES = (
    ("principal_balance_cents", _("Part 2: Principal balance")),
    ("interest_due_cents", _("Part 2: Interest due")),
    ("fees_costs_cents", _("Part 2: Fees, costs due")),
    ("escrow_deficiency_cents", _("Part 2: Escrow deficiency for funds advanced")),
    ("funds_on_hand_cents", _("Part 2: Less total funds on hand")),
    ("total_debt_cents", _("Part 2: Total debt")),
    ("arrears_principal_interest_cents", _("Part 3: Principal and interest due")),
    ("arrears_fees_cents", _("Part 3: Prepetition fees due")),
    (
        "arrears_escrow_deficiency_cents",
        _("Part 3: Escrow deficiency for funds advanced"),
    ),
    ("projected_escrow_shortage_cents", _("Part 3: Projected escrow shortage")),
    ("arrears_funds_on_hand_cents", _("Part 3: Less funds on hand")),
    ("total_arrearage_cents", _("Part 3: Total prepetition arrearage")),
    ("monthly_principal_interest_cents", _("Part 4: Principal and interest")),
    ("monthly_escrow_cents", _("Part 4: Monthly escrow")),
    ("monthly_mortgage_insurance_cents", _("Part 4: Private mortgage insurance")),
    ("total_monthly_payment_cents", _("Part 4: Total monthly payment")),
)

# Each part's sum, as the form computes it: (label of its total, the lines added,
# the line subtracted or None, the line stating the total).
PARTS = (
    (
        "total debt",
        (
            ("principal balance", "principal_balance_cents"),
            ("interest due", "interest_due_cents"),
            ("fees and costs due", "fees_costs_cents"),
            ("escrow deficiency", "escrow_deficiency_cents"),
        ),
        ("funds on hand", "funds_on_hand_cents"),
        "total_debt_cents",
    ),
    (
        "total prepetition arrearage",
        (
            ("principal and interest due", "arrears_principal_interest_cents"),
            ("prepetition fees due", "arrears_fees_cents"),
            ("escrow deficiency", "arrears_escrow_deficiency_cents"),
            ("projected escrow shortage", "projected_escrow_shortage_cents"),
        ),
        ("funds on hand", "arrears_funds_on_hand_cents"),
        "total_arrearage_cents",
    ),
    (
        "total monthly payment",
        (
            ("principal and interest", "monthly_principal_interest_cents"),
            ("escrow", "monthly_escrow_cents"),
            ("mortgage insurance", "monthly_mortgage_insurance_cents"),
        ),
        None,
        "total_monthly_payment_cents",
    ),
)


@dataclass
class Form410A:
    """The amounts of Form 410A, in cents, in the form's own order."""

    # Part 2: Total debt calculation
    principal_balance_cents: int = 0
    interest_due_cents: int = 0
    fees_costs_cents: int = 0
    escrow_deficiency_cents: int = 0
    funds_on_hand_cents: int = 0
    total_debt_cents: int = 0
    # Part 3: Arrearage as of the date of the petition
    arrears_principal_interest_cents: int = 0
    arrears_fees_cents: int = 0
    arrears_escrow_deficiency_cents: int = 0
    projected_escrow_shortage_cents: int = 0
    arrears_funds_on_hand_cents: int = 0
    total_arrearage_cents: int = 0
    # Part 4: Monthly mortgage payment
    monthly_principal_interest_cents: int = 0
    monthly_escrow_cents: int = 0
    monthly_mortgage_insurance_cents: int = 0
    total_monthly_payment_cents: int = 0

    @classmethod
    def from_value(cls, value) -> Form410A | None:
        """Accept a Form410A, a dict of its fields (API, batch, snapshot) or None."""
        if value is None or isinstance(value, cls):
            return value
        names = {f.name for f in fields(cls)}
        unknown = set(value) - names
        if unknown:
            raise ValueError(f"{FORM_410A} has no field {', '.join(sorted(unknown))}.")
        return cls(**{k: int(v or 0) for k, v in value.items()})


def _sum_problem(attachment: Form410A, part) -> str | None:
    """The message when one part's lines do not add up to its stated total."""
    label, added, subtracted, total = part
    parts = [(name, getattr(attachment, line)) for name, line in added]
    minus = (subtracted[0], getattr(attachment, subtracted[1])) if subtracted else None
    stated = getattr(attachment, total)
    computed = sum(v for _, v in parts) - (minus[1] if minus else 0)
    if computed == stated:
        return None
    shown = " + ".join(f"{name} {money(v)}" for name, v in parts)
    if minus:
        shown += f" - {minus[0]} {money(minus[1])}"
    difference = stated - computed
    return (
        f"{FORM_410A}: {label} does not add up. {shown} "
        f"= {money(computed)}, but the {label} stated is {money(stated)} "
        f"(a difference of {'+' if difference > 0 else '-'}{money(abs(difference))})."
    )


def _total_problem(*, total: str, stated: int, line: str, claimed: int) -> str | None:
    """The message when a Form 410A total differs from its Form 410 line."""
    if stated == claimed:
        return None
    return (
        f"{FORM_410A}: the {total} {money(stated)} must equal {line}, "
        f"{money(claimed)} (a difference of {money(abs(claimed - stated))})."
    )


def form410a_problems(
    *,
    principal_residence: bool,
    secured_cents: int,
    amount_cents: int,
    arrearage_cents: int | None,
    attachment: Form410A | None,
) -> dict[str, str]:
    """Return {field: message} for a mortgage claim whose Form 410A is missing or wrong.

    Messages state the exact difference in dollars and cents. Empty when the claim is
    not secured by the debtor's principal residence, or when everything agrees.
    """
    if not principal_residence:
        if attachment is not None:
            return {
                "principal_residence": (
                    f"{FORM_410A} is only for a claim secured by the debtor's principal "
                    "residence. Mark the claim as secured by the principal residence, "
                    "or leave the attachment out."
                )
            }
        return {}
    if attachment is None:
        return {
            "mortgage": (
                f"A claim secured by the debtor's principal residence must include "
                f"{FORM_410A} (Fed. R. Bankr. P. 3001(c)(2)(C)). Fill in its parts."
            )
        }
    if secured_cents <= 0:
        return {
            "secured": (
                "A mortgage claim on the principal residence is a secured claim: enter "
                "the secured amount (Form 410 line 9)."
            )
        }
    for f in fields(Form410A):
        value = getattr(attachment, f.name)
        if value < 0:
            return {"mortgage": f"{FORM_410A}: an amount cannot be negative."}
        if value > MAX_CLAIM_CENTS:
            return {
                "mortgage": f"{FORM_410A}: an amount is more than {money(MAX_CLAIM_CENTS)}."
            }
    for part in PARTS:
        message = _sum_problem(attachment, part)
        if message:
            return {"mortgage": message}
    agree = (
        (
            "mortgage",
            "total debt",
            attachment.total_debt_cents,
            "the amount of the claim on Form 410 line 7",
            amount_cents,
        ),
        (
            "arrearage",
            "total prepetition arrearage",
            attachment.total_arrearage_cents,
            "the amount necessary to cure any default on Form 410 line 9",
            arrearage_cents or 0,
        ),
    )
    for field, total, stated, line, claimed in agree:
        message = _total_problem(total=total, stated=stated, line=line, claimed=claimed)
        if message:
            return {field: message}
    return {}
