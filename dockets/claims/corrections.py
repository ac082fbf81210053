"""The clerk's corrections of the claims register: data with a remark, and "filed in the
wrong case". Both leave a history row and an audit event with before and after values.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core import clock
from core.audit import record_event
from core.errors import NotAllowed, UserFacingError
from dockets.services import (
    lock_case,
)
from dockets.text import money
from filers.models import User

from .checks import amount_problems, redaction_problems
from .models import Claim, ClaimActivity, ClaimTotals
from .services import (
    ALLOWED_FIELDS,
    AMOUNT_FIELDS,
    WRONG_CASE_NOTE,
    _adjust_totals,
    _amounts,
    _filer_name,
)

# -- the clerk ------------------------------------------------------------------------


CORRECTABLE_FIELDS = (
    "creditor_name",
    "creditor_address",
    "basis",
    "description",
    "priority_basis",
    "account_last4",
    *AMOUNT_FIELDS,
    *ALLOWED_FIELDS,
)


def _shown(name: str, value) -> str:
    if name.endswith("_cents"):
        return "none" if value is None else money(value)
    return str(value or "")


@transaction.atomic
def correct_claim(*, claim: Claim, clerk: User, changes: dict, remark: str) -> Claim:
    """Correct a claim's register data, with the clerk's remark; the history shows the change.

    Raises NotAllowed for anyone but a clerk, UserFacingError for a missing remark or
    amounts that no longer add up.
    """
    if not getattr(clerk, "is_clerk", False):
        raise NotAllowed("Only the clerk's office corrects claims data.")
    remark = (remark or "").strip()
    if not remark:
        raise UserFacingError(
            "Say why the claim is corrected (the remark is shown on the register).",
            field="remark",
        )
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise UserFacingError("Those fields cannot be corrected here.")
    locked_case = lock_case(claim.case_id)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    before_totals = _amounts(claim)
    before, after = {}, {}
    for name, value in changes.items():
        if getattr(claim, name) != value:
            before[name] = getattr(claim, name)
            after[name] = value
            setattr(claim, name, value)
    if not after:
        raise UserFacingError("Nothing was changed.")
    for name, message in redaction_problems(
        {k: v for k, v in after.items() if isinstance(v, str)} | {"remark": remark}
    ).items():
        raise UserFacingError(message, field=name)
    for name, message in amount_problems(
        amount_cents=claim.amount_cents,
        secured_cents=claim.secured_cents,
        priority_cents=claim.priority_cents,
        unsecured_cents=claim.unsecured_cents,
        admin_cents=claim.admin_cents,
    ).items():
        raise UserFacingError(message, field=name)
    now = timezone.now()
    today = clock.local_date(now)
    claim.modified_on = today
    claim.remarks = "\n".join(
        x for x in [claim.remarks, f"({claim.label}) {remark}"] if x
    )
    claim.full_clean()
    claim.save()
    _adjust_totals(locked_case.pk, before_totals, _amounts(claim))
    described = "; ".join(
        f"{name.replace('_cents', '').replace('_', ' ')} from {_shown(name, before[name])} to {_shown(name, after[name])}"
        for name in after
    )
    ClaimActivity.objects.create(
        claim=claim,
        kind=ClaimActivity.Kind.CORRECTED,
        label=claim.label,
        date=today,
        text=f"Clerk's Note: {remark} (Corrected {described}) ({_filer_name(clerk)})",
        actor=clerk,
        created_at=now,
    )
    record_event(
        actor=clerk,
        action="dockets.claim.corrected",
        target=claim,
        case_id=locked_case.pk,
        before={k: _shown(k, v) for k, v in before.items()},
        after={k: _shown(k, v) for k, v in after.items()},
        note=remark,
    )
    return claim


@transaction.atomic
def mark_claim_wrong_case(*, claim: Claim, clerk: User) -> Claim:
    """Mark a claim filed in the wrong case: it stays listed with the clerk's note, out of the totals."""
    if not getattr(clerk, "is_clerk", False):
        raise NotAllowed(
            "Only the clerk's office marks a claim filed in the wrong case."
        )
    locked_case = lock_case(claim.case_id)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.wrong_case:
        raise UserFacingError(
            f"Claim {claim.label} is already marked as filed in the wrong case."
        )
    before = _amounts(claim)
    now = timezone.now()
    claim.wrong_case = True
    claim.modified_on = clock.local_date(now)
    claim.remarks = "\n".join(
        x for x in [claim.remarks, f"({claim.label}) {WRONG_CASE_NOTE}"] if x
    )
    claim.save(update_fields=["wrong_case", "modified_on", "remarks", "updated_at"])
    _adjust_totals(locked_case.pk, before, _amounts(claim))
    ClaimActivity.objects.create(
        claim=claim,
        kind=ClaimActivity.Kind.WRONG_CASE,
        label=claim.label,
        date=clock.local_date(now),
        text=f"{WRONG_CASE_NOTE} ({_filer_name(clerk)})",
        actor=clerk,
        created_at=now,
    )
    record_event(
        actor=clerk,
        action="dockets.claim.wrong_case",
        target=claim,
        case_id=locked_case.pk,
        after={"wrong_case": True},
    )
    return claim


def recompute_totals(*, case_id: int) -> ClaimTotals:
    """Rebuild a case's ClaimTotals from its claims with one aggregate query (bulk loads, repair)."""
    from .selectors import aggregate_totals

    with transaction.atomic():
        lock_case(case_id)
        values = aggregate_totals(Claim.objects.filter(case_id=case_id))
        totals, _ = ClaimTotals.objects.update_or_create(
            case_id=case_id, defaults=values
        )
    return totals
