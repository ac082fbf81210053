"""Writes on the claims register: filing and amending claims (Form 410, with or without a
login), the helpers the other claim writes share, and who may file.

Withdrawals, transfers and Rule 3002.1 notices are in claim_events.py; the clerk's
corrections in corrections.py.

Each function owns its transaction, takes the case row lock (dockets.services.lock_case:
claim numbers come from Case.last_claim_number under it, so concurrent filings get
1..N with no gap or repeat), writes a ClaimActivity row (the register's history) and
an audit event, keeps the case's ClaimTotals row in step, and queues the pipeline's
stamping and notices after commit (dockets.services.after_filing).

Claims are not numbered docket entries (cmecf.md 6.2): a proof of claim is docketed as
an unnumbered entry holding the generated Form 410 and the attachments, so the
pipeline stamps and notices it like any other filing. Withdrawals and transfers are
numbered docket events, as in CM/ECF.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cases.models import Case
from core import clock
from core.audit import record_event
from core.crypto import encrypt
from core.errors import NotAllowed, UserFacingError
from dockets.models import Event
from dockets.services import (
    FilingRequest,
    UploadedDocument,
    after_filing,
    create_entry,
    documents_stored,
    lock_case,
)
from dockets.text import money, sentence
from filers.models import User

from . import reads
from .checks import amount_problems, redaction_problems
from .claim_form import write_form410
from .creditors import claim_creditor
from .form410a import Form410A, form410a_problems
from .models import Claim, ClaimActivity, ClaimTotals, ClaimVersion
from .notices import send_epoc_receipt
from .permissions import amend_refusal, new_claim_code

# Catalogue codes (dockets.catalogue_data._CLAIMS).
CLAIM_EVENT = "claim"
AMENDED_CLAIM_EVENT = "amdclm"
WITHDRAWAL_EVENT = "wdclm"
TRANSFER_EVENT = "trclm"
SUPPLEMENT_EVENTS = ("mtgchg", "helocntc", "pstfee", "cureresp")

AMOUNT_FIELDS = (
    "amount_cents",
    "secured_cents",
    "priority_cents",
    "unsecured_cents",
    "admin_cents",
)
ALLOWED_FIELDS = (
    "allowed_secured_cents",
    "allowed_priority_cents",
    "allowed_unsecured_cents",
    "allowed_admin_cents",
)
WRONG_CASE_NOTE = "Clerk's Note: PLEASE DISREGARD - Claim filed in the wrong case"


@dataclass
class ClaimData:
    """What Form 410 asks, as the filer entered it (amounts in cents)."""

    creditor_name: str
    creditor_address: str
    basis: str
    amount_cents: int
    secured_cents: int = 0
    priority_cents: int = 0
    priority_basis: str = ""
    unsecured_cents: int = 0
    admin_cents: int = 0
    creditor_email: str = ""
    creditor_phone: str = ""
    payment_name: str = ""
    payment_address: str = ""
    account_last4: str = ""
    debt_incurred: dt.date | None = None
    interest_fees: bool = False
    governmental: bool = False
    signer_name: str = ""
    signer_title: str = ""
    attachment_names: list[str] = field(default_factory=list)
    # Form 410 line 9 (amount necessary to cure any default as of the petition date)
    # and, for a claim secured by the debtor's principal residence, Form 410A.
    principal_residence: bool = False
    arrearage_cents: int | None = None
    mortgage: Form410A | dict | None = None
    # The creditor already on the case the claim is for (its Creditor ID), when the
    # filer named one; otherwise the creditor is found or added by name and address.
    creditor_id: int | None = None

    def __post_init__(self) -> None:
        try:
            self.mortgage = Form410A.from_value(self.mortgage)
        except (TypeError, ValueError) as error:
            raise UserFacingError(str(error), field="mortgage") from None

    def free_text(self) -> dict[str, str]:
        return {
            "creditor_name": self.creditor_name,
            "creditor_address": self.creditor_address,
            "payment_name": self.payment_name,
            "payment_address": self.payment_address,
            "basis": self.basis,
            "priority_basis": self.priority_basis,
            "signer_name": self.signer_name,
            "signer_title": self.signer_title,
        }

    def check(self) -> None:
        """Raise UserFacingError for the first problem: redaction, then amounts."""
        for name, message in redaction_problems(self.free_text()).items():
            raise UserFacingError(message, field=name)
        if self.account_last4 and (
            len(self.account_last4) != 4 or not self.account_last4.isdigit()
        ):
            raise UserFacingError(
                "Enter only the last 4 digits of the account number.",
                field="account_last4",
            )
        if not self.creditor_name.strip():
            raise UserFacingError("Enter the creditor's name.", field="creditor_name")
        if not self.creditor_address.strip():
            raise UserFacingError(
                "Enter the address where notices to the creditor should be sent.",
                field="creditor_address",
            )
        if not self.basis.strip():
            raise UserFacingError(
                "Enter the basis of the claim, for example Money loaned.", field="basis"
            )
        if self.priority_cents and not self.priority_basis.strip():
            raise UserFacingError(
                "Give the basis for priority (the subsection of 11 U.S.C. 507(a)).",
                field="priority_basis",
            )
        for name, message in amount_problems(
            amount_cents=self.amount_cents,
            secured_cents=self.secured_cents,
            priority_cents=self.priority_cents,
            unsecured_cents=self.unsecured_cents,
            admin_cents=self.admin_cents,
        ).items():
            raise UserFacingError(message, field=name)
        for name, message in form410a_problems(
            principal_residence=self.principal_residence,
            secured_cents=self.secured_cents,
            amount_cents=self.amount_cents,
            arrearage_cents=self.arrearage_cents,
            attachment=Form410A.from_value(self.mortgage),
        ).items():
            raise UserFacingError(message, field=name)

    def snapshot(self) -> dict:
        data = asdict(self)
        data["debt_incurred"] = (
            self.debt_incurred.isoformat() if self.debt_incurred else None
        )
        return data


# -- helpers ------------------------------------------------------------------------


def _event(code: str) -> Event:
    return reads.event(code)


def _filer_name(user: User | None) -> str:
    if user is None:
        return ""
    filer = user.filer_or_none
    return filer.docket_name if filer else user.get_full_name()


def _amounts(claim: Claim) -> dict[str, int]:
    """The claim's share of the case totals (zero when it does not count)."""
    if not claim.counts_in_totals:
        return {"count": 0, **dict.fromkeys(AMOUNT_FIELDS + ALLOWED_FIELDS, 0)}
    values = {f: getattr(claim, f) or 0 for f in AMOUNT_FIELDS + ALLOWED_FIELDS}
    return {"count": 1, **values}


def _adjust_totals(
    case_id: int, before: dict[str, int] | None, after: dict[str, int] | None
) -> None:
    """Move the case's running totals from `before` to `after`; the caller holds the case lock."""
    keys = ("count", *AMOUNT_FIELDS, *ALLOWED_FIELDS)
    delta = {k: (after or {}).get(k, 0) - (before or {}).get(k, 0) for k in keys}
    if not any(delta.values()):
        return
    updated = ClaimTotals.objects.filter(case_id=case_id).update(
        **{k: F(k) + v for k, v in delta.items() if v}
    )
    if not updated:
        ClaimTotals.objects.create(case_id=case_id, **delta)


def bar_date(case: Case, *, governmental: bool) -> dt.date | None:
    """The case's last day to file claims (the government's own, if it has one)."""
    deadlines = reads.bar_dates(case.pk, governmental=governmental)
    for kind in reads.BAR_KINDS[governmental]:
        if kind in deadlines:
            return deadlines[kind]
    return None


def _ensure_open(case: Case) -> None:
    if not case.is_open:
        raise UserFacingError(
            f"Case {case.display_number} is {case.get_status_display().lower()}. "
            "Claims cannot be filed in it; contact the clerk's office."
        )


def _history_text(
    *, kind: str, number: int, version: int, creditor: str, amount_cents: int
) -> str:
    if kind == ClaimActivity.Kind.AMENDED:
        return f"Amended Claim #{number} filed by {creditor}, Amount claimed: {money(amount_cents)}"
    return f"Claim #{number} filed by {creditor}, Amount claimed: {money(amount_cents)}"


def _existing_version(key: str | None) -> ClaimVersion | None:
    if not key:
        return None
    return reads.version_by_key(key)


# -- filing and amending ------------------------------------------------------------------


def file_claim(
    *,
    case: Case,
    data: ClaimData,
    attachments: list[UploadedDocument] | None = None,
    filer: User | None = None,
    epoc: bool = False,
    idempotency_key: str | None = None,
    claim_form: UploadedDocument | None = None,
) -> ClaimVersion:
    """File a proof of claim: generate Form 410, number the claim N-1, docket it.

    `filer` is the logged-in creditor or attorney (None for ePOC). Attachments must
    already have passed PDF validation. A repeated `idempotency_key` returns the
    version the first submit created and saves nothing. Raises UserFacingError for bad
    data or a case closed to filings. Form 410 is rendered before the case is locked,
    unless the filer sent its own signed claim form (`claim_form`, validated like the
    attachments: the claims upload), which is then the main document.
    """
    return _file_version(
        case=case,
        data=data,
        attachments=attachments or [],
        claim_form=claim_form,
        filer=filer,
        epoc=epoc,
        idempotency_key=idempotency_key,
        amends=None,
    )


def amend_claim(
    *,
    claim: Claim,
    data: ClaimData,
    attachments: list[UploadedDocument] | None = None,
    filer: User | None = None,
    epoc: bool = False,
    idempotency_key: str | None = None,
    claim_code: str = "",
    claim_form: UploadedDocument | None = None,
) -> ClaimVersion:
    """File an amended claim: version N-(k+1) of the same claim, replacing its values.

    Only the claim's filer, its attorney, the clerk, or (ePOC, `filer` None) whoever
    gives the claim's own code (dockets.claims.permissions.amend_refusal); anyone else
    is refused with NotAllowed and nothing changes.
    """
    refusal = amend_refusal(user=filer, claim=claim, claim_code=claim_code)
    if refusal:
        raise NotAllowed(refusal, field="claim_code" if epoc else None)
    return _file_version(
        case=claim.case,
        data=data,
        attachments=attachments or [],
        claim_form=claim_form,
        filer=filer,
        epoc=epoc,
        idempotency_key=idempotency_key,
        amends=claim,
    )


def _file_version(
    *,
    case: Case,
    data: ClaimData,
    attachments: list[UploadedDocument],
    filer: User | None,
    epoc: bool,
    idempotency_key: str | None,
    amends: Claim | None,
    claim_form: UploadedDocument | None = None,
) -> ClaimVersion:
    existing = _existing_version(idempotency_key)
    if existing is not None:
        return existing
    data.check()
    _ensure_open(case)
    if epoc and case.has_claims_agent:
        raise UserFacingError(
            "This case has a claims agent: file the proof of claim with the claims agent, not through ePOC."
        )
    if amends is not None and amends.status == Claim.Status.WITHDRAWN:
        raise UserFacingError(
            f"Claim {amends.label} was withdrawn; it cannot be amended."
        )
    data.attachment_names = [a.description or a.filename for a in attachments]
    with tempfile.TemporaryDirectory(prefix="ecf-claim-") as tmp:
        amends_label = amends.label if amends is not None else ""
        form = claim_form or write_form410(
            case=case, data=data, epoc=epoc, amends=amends_label, folder=Path(tmp)
        )
        documents = [form, *attachments]
        with documents_stored(documents, case_id=case.pk):
            try:
                return _record_version(
                    case=case,
                    data=data,
                    documents=documents,
                    filer=filer,
                    epoc=epoc,
                    idempotency_key=idempotency_key,
                    amends=amends,
                )
            except IntegrityError:
                # Two submits of one form: the second waited for the case lock and
                # its version's INSERT was refused by the key's unique index; all
                # it wrote rolled back (the claim and entry numbers included).
                existing = _existing_version(idempotency_key)
                if existing is None:
                    raise
                for document in documents:
                    document.held = False  # no row holds them: deleted on exit
                return existing


PAYMENT_FIELDS = {
    "payment_name": "payment name",
    "payment_address": "payment address",
    "creditor_address": "notice address",
}


def payment_change_findings(claim: Claim, values: dict) -> list[dict]:
    """Findings for the QC queue when an amendment changes where payments or notices go
    (redirecting payments is how claim fraud is done): always shown to the clerk."""
    found = []
    for name, words in PAYMENT_FIELDS.items():
        old = " ".join((getattr(claim, name) or "").split())
        new = " ".join((values.get(name) or "").split())
        if old != new:
            found.append(
                {
                    "code": "claim_payment_change",
                    "message": (
                        f"Amendment changes the {words} of claim {claim.number}: "
                        f"from '{old or 'none'}' to '{new or 'none'}'. Confirm with the "
                        "creditor of record before any payment goes there."
                    ),
                    "overridden": False,
                }
            )
    return found


# Field checks only, under the case lock (as dockets.services.create_entry does): the
# related rows are the ones just locked or loaded, the number comes from the locked
# counter and the idempotency key was looked up under the lock, and the unique keys
# and constraints stay the database's to enforce; checking them here would cost
# queries for every claim while the case is locked.
def _check_claim_fields(claim: Claim) -> None:
    claim.full_clean(
        exclude=["case", "filed_by", "creditor"],
        validate_unique=False,
        validate_constraints=False,
    )


@transaction.atomic
def _record_version(
    *,
    case: Case,
    data: ClaimData,
    documents: list[UploadedDocument],
    filer: User | None,
    epoc: bool,
    idempotency_key: str | None,
    amends: Claim | None,
) -> ClaimVersion:
    locked = lock_case(case.pk)
    # The idempotency key is not read again under the lock: its unique index refuses
    # a second submit's version (_file_version returns the first one's).
    _ensure_open(locked)
    now = timezone.now()
    today = clock.local_date(now)
    due = bar_date(locked, governmental=data.governmental)
    late = bool(due and today > due)
    values = {
        "creditor_name": data.creditor_name.strip()[:200],
        "creditor_address": data.creditor_address.strip(),
        "creditor_email": data.creditor_email.strip(),
        "creditor_phone": data.creditor_phone.strip()[:30],
        "payment_name": data.payment_name.strip()[:200],
        "payment_address": data.payment_address.strip(),
        "governmental": data.governmental,
        "amount_cents": data.amount_cents,
        "secured_cents": data.secured_cents,
        "priority_cents": data.priority_cents,
        "priority_basis": data.priority_basis.strip()[:120],
        "unsecured_cents": data.unsecured_cents,
        "admin_cents": data.admin_cents,
        "basis": data.basis.strip()[:300],
        "account_last4": data.account_last4,
        "debt_incurred": data.debt_incurred,
        "interest_fees": data.interest_fees,
        "description": data.basis.strip()[:300],
    }
    if amends is None:
        # Saved with the entry's numbers (create_entry: one UPDATE of the case row).
        locked.last_claim_number += 1
        counters: tuple[str, ...] = ("last_claim_number",)
        claim = Claim(
            case=locked,
            number=locked.last_claim_number,
            version=1,
            filed_by=filer,
            epoc=epoc,
            epoc_code_encrypted=encrypt(new_claim_code()) if epoc else "",
            filed_at=now,
            entered_at=now,
            filed_date=today,
            late=late,
            creditor=claim_creditor(case=locked, data=data, actor=filer),
            **values,
        )
        _check_claim_fields(claim)
        claim.save()
        before = None
        findings = []
        kind = ClaimActivity.Kind.FILED
        event = _event(CLAIM_EVENT)
    else:
        claim = Claim.objects.select_for_update().get(pk=amends.pk)
        if claim.status == Claim.Status.WITHDRAWN:
            raise UserFacingError(
                f"Claim {claim.label} was withdrawn; it cannot be amended."
            )
        before = _amounts(claim)
        findings = payment_change_findings(claim, values)
        claim.version += 1
        for key, value in values.items():
            setattr(claim, key, value)
        if data.creditor_id is not None or claim.creditor_id is None:
            claim.creditor = claim_creditor(case=locked, data=data, actor=filer)
        if claim.status == Claim.Status.FILED:
            claim.status = Claim.Status.AMENDED
        _check_claim_fields(claim)
        claim.save()
        kind = ClaimActivity.Kind.AMENDED
        event = _event(AMENDED_CLAIM_EVENT)
        counters = ()
    _adjust_totals(locked.pk, before, _amounts(claim))
    creditor = claim.creditor_name
    text = _history_text(
        kind=kind,
        number=claim.number,
        version=claim.version,
        creditor=creditor,
        amount_cents=claim.amount_cents,
    )
    request = FilingRequest(
        case=locked,
        events=[event],
        filer=filer,
        documents=documents,
        fields={
            "claim": claim.label,
            "creditor": creditor,
            "amount": money(claim.amount_cents),
            "secured_amount": money(claim.secured_cents),
            "priority_amount": money(claim.priority_cents),
            "unsecured_amount": money(claim.unsecured_cents),
            "basis": claim.basis,
            "creditor_address": claim.creditor_lines,
            "late": late,
        },
        # The claims NEF (dockets.pipeline) shows this text: claim number, creditor and
        # amounts by class, as CM/ECF's claims NEF does (cmecf.md 5.2).
        # Each part ends with exactly one period ("N.A." stays "N.A.").
        text_override=" ".join(
            sentence(part)
            for part in (
                text,
                f"Claim No. {claim.label}",
                f"Creditor: {creditor}",
                f"Amount secured: {money(claim.secured_cents)}",
                f"Amount priority: {money(claim.priority_cents)}",
                "Filed after the claims bar date" if late else "",
            )
            if part
        ),
        filer_label=_filer_name(filer) or f"{creditor} (ePOC)",
        findings=findings,
        case_counters=counters,
    )
    entry = create_entry(request, case=locked)
    version = ClaimVersion(
        claim=claim,
        version=claim.version,
        filed_at=now,
        entered_at=now,
        filed_date=today,
        creditor_name=creditor,
        entry=entry,
        filed_by=filer,
        epoc=epoc,
        late=late,
        idempotency_key=idempotency_key or None,
        data=data.snapshot(),
        **{f: getattr(claim, f) for f in AMOUNT_FIELDS},
    )
    version.full_clean(
        exclude=["claim", "entry", "filed_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    version.save()
    ClaimActivity.objects.create(
        claim=claim,
        kind=kind,
        label=claim.label,
        date=today,
        text=text,
        entry=entry,
        actor=filer,
        created_at=now,
    )
    record_event(
        actor=filer,
        action="dockets.claim.amended" if amends is not None else "dockets.claim.filed",
        target=claim,
        case_id=locked.pk,
        before=before or {},
        after={
            "claim": claim.label,
            "creditor": creditor,
            "epoc": epoc,
            "late": late,
            **{f: getattr(claim, f) for f in AMOUNT_FIELDS},
        },
    )
    if epoc and claim.creditor_email:
        send_epoc_receipt(version=version, claim=claim, case=locked, entry=entry)
    after_filing(entry)
    return version


def claim_filing_problem(user: User, case: Case) -> str | None:
    """Why `user` cannot file a claim in `case` with a login, or None if they can."""
    from filers.permissions import filing_blockers

    blockers = filing_blockers(user)
    if blockers:
        return blockers[0]
    if not _event(CLAIM_EVENT).allows_role(user.role):
        return "Your account's role cannot file proofs of claim. Use the ePOC form or ask the clerk's office."
    if not case.is_open:
        return f"Case {case.display_number} is {case.get_status_display().lower()}. Claims cannot be filed in it."
    return None


def require_claim_filer(user: User, case: Case) -> None:
    problem = claim_filing_problem(user, case)
    if problem:
        raise NotAllowed(problem)
