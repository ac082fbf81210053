"""Writes: filing into a case, opening a case with its petition and creditor matrix,
proofs of claim one at a time or in batches of 1 to 25.

Each write needs a token with the right scope, runs through the same services and
checks as the web pages (the filing wizard's draft and submit, case opening, the
claims register), is audited with the token's id, and honours Idempotency-Key.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from ninja import File, Form, Status
from ninja.files import UploadedFile
from pydantic import Field

from cases.identifiers import classify_tax_id
from cases.matrix import parse_matrix
from cases.models import Office, Party
from cases.permissions import access_case
from cases.services import PartyData
from core import jsonsafe
from core.audit import record_event
from core.errors import NotAllowed, UserFacingError
from dockets.models import DocketEntry
from filers.models import Role, User
from filers.permissions import filing_blockers

from .auth import CLAIMS_AUTH, FILE_AUTH, WRITE_AUTH, require_scope
from .errors import ApiError
from .idempotency import run_once, service_key
from .reads import case_out, document_out, router
from .schemas import (
    BatchClaimResult,
    BatchClaimsIn,
    BatchClaimsOut,
    CaseOpenedOut,
    ClaimIn,
    ClaimOut,
    Schema,
    _has_nul,
    with_errors,
)

# One router for reads and writes: GET and POST /cases share a path.
WRITE: dict[str, Any] = {"auth": WRITE_AUTH, "tags": ["Filing"]}
# The scope is checked with the token, before the body is read (dockets.api.auth).
WRITE_FILE = {**WRITE, "auth": FILE_AUTH}
WRITE_CLAIMS: dict[str, Any] = {**WRITE, "auth": CLAIMS_AUTH}

# ninja's File() markers, made once (not in argument defaults).
PETITION = File(..., description="The petition (PDF)")
MATRIX = File(None, description="The creditor matrix (plain text)")

IDEMPOTENCY_HEADER = {
    "parameters": [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "schema": {"type": "string", "maxLength": 200},
            "description": "Any unique string; a retry with the same key returns the first response.",
        }
    ]
}


def respond(result: tuple[int, dict]) -> Status:
    status, body = result
    return Status(status, body)


def audit_api_write(*, token, action: str, target, case_id: int, after: dict) -> None:
    """Record which token made a write (the service's own event records what changed)."""
    with transaction.atomic():
        record_event(
            actor=token.user,
            action=action,
            target=target,
            case_id=case_id,
            after={"token_id": token.pk, **after},
            note=f"API token {token.pk} ({token.prefix}…)",
        )


def _documents_of(entry: DocketEntry) -> list:
    """The entry's documents in order: as this request filed them, or read back (an
    idempotent repeat returns an entry filed earlier)."""
    filed = entry.__dict__.get("filed_documents")
    if filed is not None:
        return filed
    return list(entry.documents.order_by("sequence", "id"))


def receipt(entry: DocketEntry) -> dict:
    return {
        "entry_id": entry.pk,
        "case_id": entry.case_id,
        "case_number": entry.case.display_number,
        "number": entry.number,
        "filed_at": entry.filed_at,
        "filed_date": entry.filed_date,
        "text": entry.text,
        "fee_cents": entry.fee_cents,
        "fee_status": entry.fee_status,
        "documents": [document_out(d) for d in _documents_of(entry)],
    }


def _json_field(raw: str, *, name: str, default):
    if not raw.strip():
        return default
    try:
        value = jsonsafe.loads(raw, name=name)
    except jsonsafe.JsonRefused as error:
        raise ApiError(422, "invalid", error.message, {name: error.message}) from error
    if _has_nul(value):
        raise ApiError(
            422,
            "invalid",
            f"{name} contains a NUL character.",
            {name: "Remove NUL characters."},
        )
    if not isinstance(value, type(default)):
        kind = "an object" if isinstance(default, dict) else "a list"
        raise ApiError(
            422, "invalid", f"{name} must be {kind}.", {name: f"Must be {kind}."}
        )
    return value


def _principal(user: User, principal_email: str):
    """Whose signature the filing carries: the user, or an agent's attorney."""
    from dockets.filing.rules import principals_for

    if user.role != Role.FILING_AGENT:
        if principal_email and principal_email.lower() != user.email.lower():
            raise NotAllowed("You may file only under your own name.")
        return user
    principals = principals_for(user)
    if principal_email:
        principals = [
            p for p in principals if p.email.lower() == principal_email.lower()
        ]
    if not principals:
        raise NotAllowed(
            "A filing agent files for an attorney: you have no active link to that attorney."
        )
    return principals[0]


def check_filename(upload, field: str) -> None:
    """Refuse a file name the database cannot store (NUL) or that is absurdly long."""
    name = upload.name or ""
    if "\x00" in name or len(name) > 255:
        raise ApiError(
            422, "invalid", "The file name is not valid.", {field: "Rename the file."}
        )


# -- Opening a case ----------------------------------------------------------------------


class DebtorIn(Schema):
    name: str = Field(max_length=200)
    is_entity: bool = False
    address_lines: list[str] = Field(default_factory=list, max_length=4)
    city: str = Field("", max_length=80)
    state: str = Field("", max_length=2)
    zip_code: str = Field("", max_length=10)
    county: str = Field("", max_length=60)
    email: str = Field("", max_length=254)
    tax_id: str = Field(
        "", max_length=20, description="SSN/ITIN (individuals) or EIN (businesses)"
    )


class OpenCaseForm(Schema):
    office: int = Field(description="Divisional office number")
    chapter: str = Field(max_length=2)
    debtors: str = Field(
        max_length=20000, description="JSON list of 1 or 2 debtors (DebtorIn)"
    )
    fee_choice: str = Field("pay", max_length=10, description="pay, install or waiver")
    principal_email: str = Field(
        "", max_length=254, description="Filing agents: the attorney filed for"
    )


def _debtors(raw: str) -> list[PartyData]:
    from pydantic import ValidationError

    items = _json_field(raw, name="debtors", default=[])
    debtors = []
    for index, item in enumerate(items):
        try:
            debtor = DebtorIn.model_validate(item)
        except ValidationError as error:
            raise ApiError(
                422,
                "invalid",
                f"Debtor {index + 1} is not valid: {error.errors()[0]['msg']}.",
                {f"debtors.{index}": error.errors()[0]["msg"]},
            ) from error
        kind = digits = ""
        if debtor.tax_id.strip():
            try:
                tax_kind, digits = classify_tax_id(
                    debtor.tax_id, entity=debtor.is_entity
                )
            except ValueError as error:
                raise ApiError(
                    422, "invalid", str(error), {f"debtors.{index}.tax_id": str(error)}
                ) from error
            kind = tax_kind.value
        debtors.append(
            PartyData(
                role="",
                name=debtor.name.strip(),
                is_entity=debtor.is_entity,
                address_lines=[
                    line.strip() for line in debtor.address_lines if line.strip()
                ],
                city=debtor.city.strip(),
                state=debtor.state.strip().upper(),
                zip_code=debtor.zip_code.strip(),
                county=debtor.county.strip(),
                email=debtor.email.strip(),
                tax_id_kind=kind,
                tax_id_digits=digits,
            )
        )
    if any(not d.name for d in debtors):
        raise ApiError(
            422,
            "invalid",
            "Enter each debtor's name.",
            {"debtors": "A name is missing."},
        )
    return debtors


def _opener(user: User, principal_email: str):
    """(attorney whose signature the petition carries, agent keying it or None)."""
    problems = filing_blockers(user)
    if problems:
        raise NotAllowed(" ".join(problems))
    if user.role == Role.ATTORNEY:
        return _principal(user, principal_email), None
    if user.role == Role.FILING_AGENT:
        principal = _principal(user, principal_email)
        if principal.role == Role.ATTORNEY:
            return principal, user
    raise NotAllowed(
        "Only an attorney (or a filing agent working for one) can open a case."
    )


def _open(request, data: OpenCaseForm, petition, matrix) -> tuple[int, dict]:
    from dockets.case_opening import (
        PetitionRequest,
        checked_pdf,
        load_creditor_matrix,
        open_voluntary_case,
    )
    from dockets.services import documents_stored

    token = require_scope(request, "file")
    filer, agent = _opener(token.user, data.principal_email)
    debtors = _debtors(data.debtors)
    office = Office.objects.filter(number=data.office).select_related("court").first()
    if office is None:
        raise ApiError(
            422,
            "invalid",
            f"There is no office number {data.office}.",
            {"office": "Unknown office."},
        )
    check_filename(petition, "petition")
    result = None
    if matrix is not None:
        result = parse_matrix(
            matrix.read(),
            max_lines=office.court.matrix_max_lines,
            max_chars=office.court.matrix_max_chars,
            excluded_names=[d.name for d in debtors],
        )
        if not result.ok:
            messages = [getattr(e, "message", str(e)) for e in result.errors][:10]
            raise UserFacingError(
                "The creditor matrix has errors: " + " ".join(messages), field="matrix"
            )
    with (
        checked_pdf(petition, debtor_names=[d.name for d in debtors]) as document,
        documents_stored([document], case_id=None),
        transaction.atomic(),
    ):
        entry = open_voluntary_case(
            PetitionRequest(
                filer=filer,
                entered_by=agent,
                office=office,
                chapter=data.chapter,
                debtors=debtors,
                petition=document,
                fee_choice=data.fee_choice,
                idempotency_key=service_key(request),
            )
        )
        added = skipped = 0
        matrix_entry = None
        if (
            result is not None
            and not Party.objects.filter(case=entry.case, from_matrix=True).exists()
        ):
            added_parties, skipped, matrix_entry = load_creditor_matrix(
                case=entry.case, result=result, filer=filer, entered_by=agent
            )
            added = len(added_parties)
        audit_api_write(
            token=token,
            action="dockets.api.case_opened",
            target=entry.case,
            case_id=entry.case_id,
            after={"entry_id": entry.pk, "creditors_added": added},
        )
    body: dict[str, Any] = {
        "case": case_out(entry.case),
        "receipt": receipt(entry),
        "creditors_added": added,
        "creditors_skipped": skipped,
        "matrix_entry_number": matrix_entry.number if matrix_entry else None,
    }
    return 201, CaseOpenedOut(**body).model_dump(mode="json")


@router.post(
    "/cases",
    response=with_errors({201: CaseOpenedOut}),
    operation_id="openCase",
    openapi_extra=IDEMPOTENCY_HEADER,
    **WRITE_FILE,
)
def open_case(
    request,
    data: Form[OpenCaseForm],
    petition: UploadedFile = PETITION,
    matrix: UploadedFile | None = MATRIX,
):
    """Open a bankruptcy case with its petition (entry 1) and, optionally, its creditor matrix.

    Needs the `file` scope and an attorney (or a filing agent for one). The case,
    its parties, the petition and the matrix are saved together or not at all.
    """
    return respond(run_once(request, lambda: _open(request, data, petition, matrix)))


# -- Claims ------------------------------------------------------------------------------


def _claim_data(claim: ClaimIn):
    from dockets.claims.services import ClaimData

    return ClaimData(**claim.dict())


def _claim_case(request, case_id: int):
    from dockets.claims.services import claim_filing_problem

    token = require_scope(request, "claims")
    case = access_case(token.user, case_id)
    problem = claim_filing_problem(token.user, case)
    if problem:
        raise NotAllowed(problem)
    return token, case


def _file_one(*, token, case, claim: ClaimIn, key: str | None):
    from dockets.claims.services import file_claim

    try:
        version = file_claim(
            case=case, data=_claim_data(claim), filer=token.user, idempotency_key=key
        )
    except DjangoValidationError as error:
        fields = {k: " ".join(v) for k, v in getattr(error, "message_dict", {}).items()}
        raise UserFacingError(
            " ".join(fields.values()) or " ".join(error.messages)
        ) from error
    audit_api_write(
        token=token,
        action="dockets.api.claim_filed",
        target=version.claim,
        case_id=case.pk,
        after={"claim": version.claim.label, "entry_id": version.entry_id},
    )
    return version


def claim_out(version) -> dict:
    claim = version.claim
    return {
        "claim_id": claim.pk,
        "claim_number": f"{claim.number}-{version.version}",
        "case_number": claim.case.display_number,
        "entry_id": version.entry_id,
        "creditor_name": version.creditor_name,
        "amount_cents": version.amount_cents,
        "late": version.late,
    }


@router.post(
    "/cases/{case_id}/claims",
    response=with_errors({201: ClaimOut}),
    operation_id="fileClaim",
    openapi_extra=IDEMPOTENCY_HEADER,
    **WRITE_CLAIMS,
)
def file_claim(request, case_id: int, payload: ClaimIn):
    """File one proof of claim (Official Form 410 is generated from the data).

    Needs the `claims` scope.
    """

    def write():
        token, case = _claim_case(request, case_id)
        version = _file_one(
            token=token, case=case, claim=payload, key=service_key(request)
        )
        return 201, ClaimOut(**claim_out(version)).model_dump(mode="json")

    return respond(run_once(request, write))


@router.post(
    "/cases/{case_id}/claims/batch",
    response=with_errors({200: BatchClaimsOut}),
    operation_id="fileClaimsBatch",
    openapi_extra=IDEMPOTENCY_HEADER,
    **WRITE_CLAIMS,
)
def file_claims_batch(request, case_id: int, payload: BatchClaimsIn):
    """File 1 to 25 proofs of claim; each is accepted (with its number) or refused (with the reason).

    Each claim is filed in its own transaction: a refused claim leaves nothing behind
    and does not stop the others. Needs the `claims` scope.
    """

    def write():
        token, case = _claim_case(request, case_id)
        base = service_key(request)
        results = []
        for index, claim in enumerate(payload.claims):
            try:
                version = _file_one(
                    token=token,
                    case=case,
                    claim=claim,
                    key=f"{base}:{index}" if base else None,
                )
            except NotAllowed:
                raise
            except UserFacingError as error:
                results.append(
                    BatchClaimResult(
                        index=index,
                        status="refused",
                        reason=error.message,
                        fields={error.field: error.message} if error.field else {},
                    )
                )
                continue
            out = claim_out(version)
            results.append(
                BatchClaimResult(
                    index=index,
                    status="accepted",
                    claim_number=out["claim_number"],
                    claim_id=out["claim_id"],
                )
            )
        accepted = sum(1 for r in results if r.status == "accepted")
        body = BatchClaimsOut(
            accepted=accepted, refused=len(results) - accepted, results=results
        )
        return 200, body.model_dump(mode="json")

    return respond(run_once(request, write))
