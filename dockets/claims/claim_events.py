"""Docket events on a filed claim: withdrawal (FRBP 3006), transfer (FRBP 3001(e)) and
Rule 3002.1 mortgage notices. Each is a docket entry linked to the claim by a history
row; same transaction, lock, audit and after-commit rules as dockets.claims.services.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cases.calendar import compute_deadline
from core import clock
from core.audit import record_event
from core.errors import NotAllowed, UserFacingError
from dockets.models import DocketEntry
from dockets.services import (
    FilingRequest,
    UploadedDocument,
    after_filing,
    create_entry,
    lock_case,
    stored_then_atomic,
)
from filers.models import User
from filers.permissions import is_active_clerk

from .checks import parse_money, redaction_problems
from .models import Claim, ClaimActivity, ClaimTransfer
from .mortgage_models import PaymentChange
from .permissions import amend_refusal, may_file_transfer
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
    filer: User,
    fields: dict,
    document: UploadedDocument | None,
    fee_status: str | None = None,
) -> DocketEntry:
    """Docket one claim event; its fee is quoted and owed as for any other filing.

    The fee rule is the filing wizard's (dockets.fees.quote_fee: the catalogue's fee,
    less the exemptions the event allows this filer), and a fee due is owed by the
    filer as a Payment (dockets.fees.create_payment) whichever path filed it: the
    claim page, the claims upload, the API. `fee_status` (the clerk's) overrides.
    """
    from dockets.fees import FeeQuote, create_payment, quote_fee

    events = [_event(code)]
    if filer is None:
        # ePOC (Rule 3002.1 supplements, no login): no exemption can be shown.
        fee = sum(e.fee_cents for e in events)
        quote = FeeQuote(base_cents=fee, due_cents=fee)
    else:
        quote = quote_fee(
            events=events, case=claim.case, filer=filer, parties=[], fields=fields
        )
    request = FilingRequest(
        case=claim.case,
        events=events,
        filer=filer,
        documents=[document] if document else [],
        fields=fields,
        fee_cents=quote.base_cents,
        fee_status=fee_status if fee_status is not None else quote.status,
        fee_note=quote.note,
    )
    entry = create_entry(request, case=claim.case)
    if filer is not None:
        create_payment(entry=entry, payer=filer)
    return entry


@stored_then_atomic(lambda a: [a["document"]], lambda a: a["claim"].case_id)
def withdraw_claim(
    *, claim: Claim, filer: User, document: UploadedDocument | None = None
) -> DocketEntry:
    """Withdraw a claim (FRBP 3006): a docket event; the claim stays on the register, withdrawn.

    Only the claim's filer, its attorney or the clerk (dockets.claims.permissions).
    """
    refusal = amend_refusal(user=filer, claim=claim)
    if refusal:
        raise NotAllowed(refusal.replace("amend it", "withdraw it"))
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


TRANSFER_OBJECTION_DAYS = 21  # Fed. R. Bankr. P. 3001(e)(2)


@stored_then_atomic(lambda a: [a["document"]], lambda a: a["claim"].case_id)
def transfer_claim(
    *,
    claim: Claim,
    filer: User,
    transferee_name: str,
    transferee_address: str,
    document: UploadedDocument | None,
    fee_status: str | None = None,
) -> DocketEntry:
    """Docket a transfer of claim (FRBP 3001(e)(2)) filed by the transferee with the
    evidence of transfer; notify the transferor. The register keeps the holder until the
    21-day objection period passes without objection (complete_due_transfers) or the
    court orders it (decide_transfer). Login required: never through ePOC.

    The transfer fee comes from the catalogue (charged per claim transferred).
    """
    if not may_file_transfer(filer):
        raise NotAllowed(
            "Only a certified attorney or creditor account, or the clerk's office, "
            "may file a transfer of claim."
        )
    if document is None:
        raise UserFacingError(
            "Attach the evidence of transfer (Form 2100A or 2100B) as a PDF.",
            field="document",
        )
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
    if claim.transfers.filter(status=ClaimTransfer.Status.PENDING).exists():
        raise UserFacingError(
            f"A transfer of claim {claim.label} is already waiting for its objection "
            "period. The clerk's office decides it first."
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
    now = timezone.now()
    # FRBP 3001(e)(2) gives 21 days from the notice; FRBP 9006 counts them (weekends,
    # legal holidays and the clerk's recorded closures move the last day).
    due = compute_deadline(
        clock.local_date(now),
        TRANSFER_OBJECTION_DAYS,
        what="the filing of the transfer",
    )
    deadline = due.day
    transfer = ClaimTransfer.objects.create(
        claim=claim,
        entry=entry,
        transferor=transferor[:200],
        transferee_name=transferee_name[:200],
        transferee_address=transferee_address.strip(),
        filed_by=filer,
        objection_deadline=deadline,
        objection_rule=due.rule,
    )
    ClaimActivity.objects.create(
        claim=claim,
        kind=ClaimActivity.Kind.TRANSFERRED,
        label=f"Doc {entry.number}" if entry.number else "",
        date=clock.local_date(now),
        text=(
            f"Transfer of Claim {claim.label} (Docket #{entry.number}) filed. Transferor: "
            f"{transferor} To {transferee_name}. Objections due by "
            f"{deadline:%m/%d/%Y}; the holder changes after that without objection."
        ),
        entry=entry,
        actor=filer,
        created_at=now,
    )
    record_event(
        actor=filer,
        action="dockets.claim.transfer_filed",
        target=claim,
        case_id=locked_case.pk,
        before={"holder": transferor},
        after={
            "transferee": transferee_name,
            "entry": entry.number,
            "objection_deadline": deadline.isoformat(),
            "objection_rule": due.rule,
        },
    )
    _notify_transferor(claim, transfer)
    after_filing(entry)
    return entry


def _notify_transferor(claim: Claim, transfer: ClaimTransfer) -> None:
    """Tell the transferor (the claim's filer and its notice e-mail) of the transfer."""
    from core.mail import send_message

    addresses: dict[str, User | None] = {}
    filed_by = claim.filed_by
    if filed_by is not None:
        addresses[filed_by.email.lower()] = filed_by
    if claim.creditor_email:
        addresses.setdefault(claim.creditor_email.lower(), None)
    text = (
        f"A transfer of claim {claim.label} in case {claim.case.display_number} to "
        f"{transfer.transferee_name} was filed (Docket #{transfer.entry.number}).\n\n"
        f"If you object, file your objection by {transfer.objection_deadline:%m/%d/%Y} "
        "(Fed. R. Bankr. P. 3001(e)(2)). Without an objection, the claims register "
        "will show the transferee as the holder after that date."
        f"\n\nHow the date was counted: {transfer.objection_rule}"
    )
    for email, user in addresses.items():
        send_message(
            to_email=email,
            subject=f"Transfer of your claim {claim.label} filed",
            text=text,
            user=user,
            kind="claim",
        )


def _make_effective(transfer: ClaimTransfer, *, actor: User | None, note: str) -> None:
    claim = Claim.objects.select_for_update().get(pk=transfer.claim_id)
    claim.holder_name = transfer.transferee_name
    claim.holder_address = transfer.transferee_address
    claim.status = Claim.Status.TRANSFERRED
    claim.save(update_fields=["holder_name", "holder_address", "status", "updated_at"])
    now = timezone.now()
    transfer.status = ClaimTransfer.Status.EFFECTIVE
    transfer.decided_at = now
    transfer.decided_by = actor
    transfer.decision_note = note[:300]
    transfer.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    record_event(
        actor=actor,
        action="dockets.claim.transferred",
        target=claim,
        case_id=claim.case_id,
        before={"holder": transfer.transferor},
        after={"holder": transfer.transferee_name, "why": note},
    )


def complete_due_transfers(*, today: dt.date | None = None) -> int:
    """Make effective every pending transfer whose objection period has passed without
    objection (run daily by Celery beat). Returns how many changed holder."""
    today = today or clock.today()
    done = 0
    for pk in ClaimTransfer.objects.filter(
        status=ClaimTransfer.Status.PENDING, objection_deadline__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            transfer = ClaimTransfer.objects.select_for_update().get(pk=pk)
            if transfer.status != ClaimTransfer.Status.PENDING:
                continue
            lock_case(transfer.claim.case_id)
            _make_effective(
                transfer, actor=None, note="Objection period passed without objection"
            )
            done += 1
    return done


@transaction.atomic
def decide_transfer(
    *, transfer: ClaimTransfer, clerk: User, outcome: str, note: str = ""
) -> ClaimTransfer:
    """The clerk records the court's order ("order": effective now) or an objection
    ("objection": the holder stays until the court decides)."""
    if not is_active_clerk(clerk):
        raise NotAllowed("Only the clerk's office decides transfers of claim.")
    transfer = ClaimTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != ClaimTransfer.Status.PENDING:
        raise UserFacingError("This transfer was already decided.")
    lock_case(transfer.claim.case_id)
    if outcome == "order":
        _make_effective(transfer, actor=clerk, note=note or "By court order")
    elif outcome == "objection":
        transfer.status = ClaimTransfer.Status.OBJECTED
        transfer.decided_at = timezone.now()
        transfer.decided_by = clerk
        transfer.decision_note = (note or "Objection filed")[:300]
        transfer.save(
            update_fields=["status", "decided_at", "decided_by", "decision_note"]
        )
        record_event(
            actor=clerk,
            action="dockets.claim.transfer_objected",
            target=transfer.claim,
            case_id=transfer.claim.case_id,
            after={"transferee": transfer.transferee_name, "note": note},
        )
    else:
        raise UserFacingError("Choose 'order' or 'objection'.")
    return transfer


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


@stored_then_atomic(lambda a: [a["document"]], lambda a: a["claim"].case_id)
def file_claim_supplement(
    *,
    claim: Claim,
    filer: User,
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
