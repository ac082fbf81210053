"""The API's request and response shapes (typed; the OpenAPI schema is built from them)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema as NinjaSchema
from pydantic import Field, model_validator

from core.text import normalize


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


def _normalized(value):
    """Strings (also in lists) through core.text: NFC, no control characters.

    Line breaks stay here; a one-line field loses them when it is stored."""
    if isinstance(value, str):
        return normalize(value, multiline=True)
    if isinstance(value, list) and any(isinstance(item, str) for item in value):
        return [_normalized(item) for item in value]
    return value


class Schema(NinjaSchema):
    """Every input refuses NUL characters (the database cannot store them), and its
    other text is normalised (core.text) before an operation sees it."""

    @model_validator(mode="after")
    def _no_nul(self):
        for name, value in self.__dict__.items():
            if _has_nul(value):
                raise ValueError(f"{name} contains a NUL character; remove it.")
            cleaned = _normalized(value)
            if cleaned is not value and cleaned != value:
                self.__dict__[name] = cleaned
        return self


class ErrorDetail(Schema):
    code: str = Field(
        description="Stable machine code, e.g. not_found, invalid, refused"
    )
    message: str = Field(description="What went wrong, in plain words")
    fields: dict[str, str] = Field(
        default_factory=dict, description="Per-field messages"
    )


class ErrorOut(Schema):
    error: ErrorDetail


ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
    500: ErrorOut,
}


def with_errors(ok: dict) -> dict:
    return {**ok, **ERRORS}


# -- Cases --------------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    number: str = Field(description="As the court shows it, e.g. 26-00012-LT7")
    long_number: str = Field(description="e.g. 3:26-bk-00012")
    title: str
    case_type: str = Field(description="bk (bankruptcy) or ap (adversary proceeding)")
    chapter: str
    status: str
    date_filed: dt.date
    judge: str
    office: str


class CaseListOut(Schema):
    results: list[CaseOut]
    next_cursor: str = Field(
        description="Pass as `after` for the next page; empty at the end"
    )


class PartyOut(Schema):
    id: int
    role: str
    role_label: str
    name: str
    is_entity: bool
    city: str
    state: str
    terminated_on: dt.date | None


class CaseDetailOut(CaseOut):
    parties: list[PartyOut]
    last_entry_number: int
    claims_filed: int


# -- Docket -------------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    cmecf_id: str = Field(
        description="CM/ECF-style document id (court prefix + digits), as in /doc1/<id>"
    )
    sequence: int = Field(description="0 = main document, 1.. attachments")
    description: str
    page_count: int
    size: int
    sha512: str = Field(description="Digest of the original as filed")
    stamped: bool = Field(description="True once the stamped copy is ready to download")
    download_path: str


class EntryOut(Schema):
    id: int
    seq: int = Field(description="Position on the docket (numbered or not)")
    number: int | None
    filed_date: dt.date
    entered_date: dt.date
    event: str = Field(description="Event code from the catalogue ('' when sealed)")
    text: str = Field(description="Docket text, or SEALED / RESTRICTED")
    text_shown: bool
    documents: list[DocumentOut] = Field(
        description="Only documents the caller may read"
    )


class EntryListOut(Schema):
    results: list[EntryOut]
    next_after: int | None = Field(description="Pass as `after` for the next page")


# -- Filing -------------------------------------------------------------------------


class ReceiptOut(Schema):
    """The receipt the web wizard shows, as data."""

    entry_id: int
    case_id: int
    case_number: str
    number: int | None
    filed_at: dt.datetime
    filed_date: dt.date
    text: str
    fee_cents: int
    fee_status: str
    documents: list[DocumentOut]


class CaseOpenedOut(Schema):
    case: CaseOut
    receipt: ReceiptOut
    creditors_added: int
    creditors_skipped: int
    matrix_entry_number: int | None


# -- Claims -------------------------------------------------------------------------


class Form410AIn(Schema):
    """Official Form 410A amounts, in cents."""

    principal_balance_cents: int = Field(0, ge=0, le=10**14)
    interest_due_cents: int = Field(0, ge=0, le=10**14)
    fees_costs_cents: int = Field(0, ge=0, le=10**14)
    escrow_deficiency_cents: int = Field(0, ge=0, le=10**14)
    funds_on_hand_cents: int = Field(0, ge=0, le=10**14)
    total_debt_cents: int = Field(0, ge=0, le=10**14)
    arrears_principal_interest_cents: int = Field(0, ge=0, le=10**14)
    arrears_fees_cents: int = Field(0, ge=0, le=10**14)
    arrears_escrow_deficiency_cents: int = Field(0, ge=0, le=10**14)
    projected_escrow_shortage_cents: int = Field(0, ge=0, le=10**14)
    arrears_funds_on_hand_cents: int = Field(0, ge=0, le=10**14)
    total_arrearage_cents: int = Field(0, ge=0, le=10**14)
    monthly_principal_interest_cents: int = Field(0, ge=0, le=10**14)
    monthly_escrow_cents: int = Field(0, ge=0, le=10**14)
    monthly_mortgage_insurance_cents: int = Field(0, ge=0, le=10**14)
    total_monthly_payment_cents: int = Field(0, ge=0, le=10**14)


class ClaimIn(Schema):
    creditor_name: str = Field(max_length=200)
    creditor_address: str = Field(max_length=1000, description="One line per line")
    basis: str = Field(max_length=300, description="e.g. Money loaned")
    amount_cents: int = Field(ge=0, le=10**14)
    secured_cents: int = Field(0, ge=0, le=10**14)
    priority_cents: int = Field(0, ge=0, le=10**14)
    priority_basis: str = Field("", max_length=120)
    unsecured_cents: int = Field(0, ge=0, le=10**14)
    admin_cents: int = Field(0, ge=0, le=10**14)
    creditor_email: str = Field("", max_length=254)
    creditor_phone: str = Field("", max_length=30)
    account_last4: str = Field("", max_length=4)
    debt_incurred: dt.date | None = None
    interest_fees: bool = False
    governmental: bool = False
    signer_name: str = Field("", max_length=200)
    signer_title: str = Field("", max_length=200)
    principal_residence: bool = Field(
        False,
        description="Secured by the debtor's principal residence: needs `mortgage`",
    )
    arrearage_cents: int | None = Field(
        None, ge=0, le=10**14, description="Form 410 line 9: amount needed to cure"
    )
    mortgage: Form410AIn | None = Field(
        None,
        description="Form 410A; its parts must add up (see dockets.claims.form410a)",
    )


class ClaimOut(Schema):
    claim_id: int
    claim_number: str = Field(description="N-V, e.g. 5-1")
    case_number: str
    entry_id: int
    creditor_name: str
    amount_cents: int
    late: bool


class BatchClaimsIn(Schema):
    claims: list[ClaimIn] = Field(min_length=1, max_length=25)


class BatchClaimResult(Schema):
    index: int = Field(description="Position in the request, from 0")
    status: str = Field(description="accepted or refused")
    claim_number: str | None = None
    claim_id: int | None = None
    reason: str | None = None
    fields: dict[str, str] = Field(default_factory=dict)


class BatchClaimsOut(Schema):
    accepted: int
    refused: int
    results: list[BatchClaimResult]
