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

`form410a_problems` is the one check. ClaimData.check() calls it, and every claim path
(the logged-in form, ePOC, the API, the batch upload) files through
dockets.claims.services, which calls ClaimData.check(); no path can go around it.
Pure: no database.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from dockets.text import money

from .models import MAX_CLAIM_CENTS

FORM_410A = "Form 410A (Mortgage Proof of Claim Attachment)"


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


def _sum_problem(
    *, label: str, parts: list[tuple[str, int]], minus: tuple[str, int], stated: int
) -> str | None:
    computed = sum(v for _, v in parts) - minus[1]
    if computed == stated:
        return None
    shown = " + ".join(f"{name} {money(v)}" for name, v in parts)
    difference = stated - computed
    return (
        f"{FORM_410A}: {label} does not add up. {shown} - {minus[0]} {money(minus[1])} "
        f"= {money(computed)}, but the {label} stated is {money(stated)} "
        f"(a difference of {'+' if difference > 0 else '-'}{money(abs(difference))})."
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
    a = attachment
    checks = [
        _sum_problem(
            label="total debt",
            parts=[
                ("principal balance", a.principal_balance_cents),
                ("interest due", a.interest_due_cents),
                ("fees and costs due", a.fees_costs_cents),
                ("escrow deficiency", a.escrow_deficiency_cents),
            ],
            minus=("funds on hand", a.funds_on_hand_cents),
            stated=a.total_debt_cents,
        ),
        _sum_problem(
            label="total prepetition arrearage",
            parts=[
                ("principal and interest due", a.arrears_principal_interest_cents),
                ("prepetition fees due", a.arrears_fees_cents),
                ("escrow deficiency", a.arrears_escrow_deficiency_cents),
                ("projected escrow shortage", a.projected_escrow_shortage_cents),
            ],
            minus=("funds on hand", a.arrears_funds_on_hand_cents),
            stated=a.total_arrearage_cents,
        ),
        _sum_problem(
            label="total monthly payment",
            parts=[
                ("principal and interest", a.monthly_principal_interest_cents),
                ("escrow", a.monthly_escrow_cents),
                ("mortgage insurance", a.monthly_mortgage_insurance_cents),
            ],
            minus=("nothing", 0),
            stated=a.total_monthly_payment_cents,
        ),
    ]
    for message in checks:
        if message:
            return {"mortgage": message.replace(" - nothing $0", "")}
    if a.total_debt_cents != amount_cents:
        diff = amount_cents - a.total_debt_cents
        return {
            "mortgage": (
                f"{FORM_410A}: the total debt {money(a.total_debt_cents)} must equal the "
                f"amount of the claim on Form 410 line 7, {money(amount_cents)} "
                f"(a difference of {money(abs(diff))})."
            )
        }
    stated_cure = arrearage_cents or 0
    if a.total_arrearage_cents != stated_cure:
        diff = stated_cure - a.total_arrearage_cents
        return {
            "arrearage": (
                f"{FORM_410A}: the total prepetition arrearage "
                f"{money(a.total_arrearage_cents)} must equal the amount necessary to cure "
                f"any default on Form 410 line 9, {money(stated_cure)} "
                f"(a difference of {money(abs(diff))})."
            )
        }
    return {}
