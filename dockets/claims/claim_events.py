"""Docket events on a filed claim: withdrawal (FRBP 3006), transfer (FRBP 3001(e)) and
Rule 3002.1 mortgage notices. Each is a docket entry linked to the claim by a history
row; same transaction, lock, audit and after-commit rules as dockets.claims.services.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core import clock
from core.audit import record_event
from core.errors import UserFacingError
from dockets.models import DocketEntry
from dockets.services import (
    FilingRequest,
    UploadedDocument,
    after_filing,
    create_entry,
    lock_case,
)

from .checks import parse_money, redaction_problems
from .models import Claim, ClaimActivity
from .mortgage_models import PaymentChange
from .rule3002_1 import PAYMENT_CHANGE_EVENTS, payment_change_effective_date
from .services import (
    SUPPLEMENT_EVENTS,
    TRANSFER_EVENT,
    WITHDRAWAL_EVENT,
    _adjust_totals,
    _amounts,
    _ensure_open,
    _event,
    _filer_name,
)

# -- withdrawal, transfer, supplements ------------------------------------------------------


def _docket_claim_event(
    *,
    claim: Claim,
    code: str,
    filer,
    fields: dict,
    document: UploadedDocument | None,
    fee_status: str | None = None,
) -> DocketEntry:
    request = FilingRequest(
        case=claim.case,
        events=[_event(code)],
        filer=filer,
        documents=[document] if document else [],
        fields=fields,
        fee_status=fee_status,
    )
    return create_entry(request, case=claim.case)


@transaction.atomic
def withdraw_claim(
    *, claim: Claim, filer, document: UploadedDocument | None = None
) -> DocketEntry:
    """Withdraw a claim (FRBP 3006): a docket event; the claim stays on the register, withdrawn."""
    locked_case = lock_case(claim.case_id)
    _ensure_open(locked_case)
    claim = Claim.objects.select_for_update().select_related("case").get(pk=claim.pk)
    claim.case = locked_case
    if claim.status == Claim.Status.WITHDRAWN:
        raise UserFacingError(f"Claim {claim.label} is already withdrawn.")
    before = _amounts(claim)
    entry = _docket_claim_event(
        claim=claim,
        code=WITHDRAWAL_EVENT,
        filer=filer,
        fields={"claim": claim.label},
        document=document,
    )
    claim.status = Claim.Status.WITHDRAWN
    claim.save(update_fields=["status", "updated_at"])
    _adjust_totals(locked_case.pk, before, _amounts(claim))
    now = timezone.now()
    text = f"Withdrawal of Claim {claim.label} filed by {_filer_name(filer) or claim.holder} (Docket #{entry.number})"
    ClaimActivity.objects.create(
        claim=claim,
        kind=ClaimActivity.Kind.WITHDRAWN,
        label=claim.label,
        date=clock.local_date(now),
        text=text,
        entry=entry,
        actor=filer,
        created_at=now,
    )
    record_event(
        actor=filer,
        action="dockets.claim.withdrawn",
        target=claim,
        case_id=locked_case.pk,
        before={"status": "filed"},
        after={"status": "withdrawn", "entry": entry.number},
    )
    after_filing(entry)
    return entry


@transaction.atomic
def transfer_claim(
    *,
    claim: Claim,
    filer,
    transferee_name: str,
    transferee_address: str,
    document: UploadedDocument | None,
    fee_status: str | None = None,
) -> DocketEntry:
    """Docket a transfer of claim (FRBP 3001(e)); the register then shows the transferee as holder.

    The transfer fee comes from the catalogue (charged per claim transferred).
    """
    transferee_name = transferee_name.strip()
    if not transferee_name:
        raise UserFacingError("Enter the transferee's name.", field="transferee_name")
    for name, message in redaction_problems(
        {"transferee_name": transferee_name, "transferee_address": transferee_address}
    ).items():
        raise UserFacingError(message, field=name)
    locked_case = lock_case(claim.case_id)
    _ensure_open(locked_case)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    claim.case = locked_case
    if claim.status == Claim.Status.WITHDRAWN:
        raise UserFacingError(
            f"Claim {claim.label} was withdrawn; it cannot be transferred."
        )
    transferor = claim.holder
    entry = _docket_claim_event(
        claim=claim,
        code=TRANSFER_EVENT,
        filer=filer,
        document=document,
        fee_status=fee_status,
        fields={
            "claim": claim.label,
            "transferor": transferor,
            "transferee": transferee_name,
        },
    )
    claim.holder_name = transferee_name[:200]
    claim.holder_address = transferee_address.strip()
    claim.status = Claim.Status.TRANSFERRED
    claim.save(update_fields=["holder_name", "holder_address", "status", "updated_at"])
    now = timezone.now()
    text = (
        f"Transfer of Claim {claim.label} (Docket #{entry.number}). Transferor: {transferor} "
        f"To {transferee_name}"
    )
    ClaimActivity.objects.create(
        claim=claim,
        kind=ClaimActivity.Kind.TRANSFERRED,
        label=f"Doc {entry.number}" if entry.number else "",
        date=clock.local_date(now),
        text=text,
        entry=entry,
        actor=filer,
        created_at=now,
    )
    record_event(
        actor=filer,
        action="dockets.claim.transferred",
        target=claim,
        case_id=locked_case.pk,
        before={"holder": transferor},
        after={"holder": transferee_name, "entry": entry.number},
    )
    after_filing(entry)
    return entry


def _payment_change(fields: dict) -> tuple[dict, dict]:
    """The ledger row of a payment change and the fields with its computed effective date."""
    try:
        month, day, year = str(fields.get("effective_date", "")).split("/")
        stated = dt.date(int(year), int(month), int(day))
    except ValueError:
        raise UserFacingError(
            "Give the date the new payment is due (MM/DD/YYYY).", field="effective_date"
        ) from None
    try:
        cents = parse_money(str(fields.get("new_payment", "")))
    except ValueError as error:
        raise UserFacingError(str(error), field="amount") from None
    filed_on = clock.today()
    effective = payment_change_effective_date(filed_on=filed_on, stated_due=stated)
    change = {
        "filed_on": filed_on,
        "stated_due": stated,
        "effective_on": effective.day,
        "new_payment_cents": cents,
        "rule": effective.rule,
    }
    return change, {**fields, "effective_date": effective.day.strftime("%m/%d/%Y")}


@transaction.atomic
def file_claim_supplement(
    *,
    claim: Claim,
    filer,
    code: str,
    fields: dict,
    document: UploadedDocument | None,
) -> DocketEntry:
    """File a Rule 3002.1 notice against a claim (payment change, postpetition fees, cure response)."""
    if code not in SUPPLEMENT_EVENTS:
        raise UserFacingError("Pick a Rule 3002.1 notice.")
    event = _event(code)
    locked_case = lock_case(claim.case_id)
    _ensure_open(locked_case)
    if event.chapters and locked_case.chapter not in event.chapters:
        raise UserFacingError(
            "Rule 3002.1 notices are filed only in chapter 13 cases "
            f"(case {locked_case.display_number} is under chapter {locked_case.chapter})."
        )
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    claim.case = locked_case
    change = None
    if code in PAYMENT_CHANGE_EVENTS:
        change, fields = _payment_change(fields)
    entry = _docket_claim_event(
        claim=claim,
        code=code,
        filer=filer,
        document=document,
        fields={"claim": claim.label, **fields},
    )
    if change is not None:
        PaymentChange.objects.create(
            claim=claim, entry=entry, kind=PAYMENT_CHANGE_EVENTS[code], **change
        )
    now = timezone.now()
    text = f"{entry.text} (Claim {claim.label})"
    ClaimActivity.objects.create(
        claim=claim,
        kind=ClaimActivity.Kind.SUPPLEMENT,
        label=claim.label,
        date=clock.local_date(now),
        text=text,
        entry=entry,
        actor=filer,
        created_at=now,
    )
    record_event(
        actor=filer,
        action="dockets.claim.supplement_filed",
        target=claim,
        case_id=locked_case.pk,
        after={"event": code, "fields": {k: str(v) for k, v in fields.items()}},
    )
    after_filing(entry)
    return entry
