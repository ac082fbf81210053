"""Writes of the filing wizard: drafts, uploads into a draft, and the final submit.

Nothing reaches the docket until `submit_draft`, which checks everything again
(rights, parties, entries, documents, warnings acknowledged) and then files in one
short transaction through dockets.services.file_in_locked_case. The draft's
idempotency key goes with the filing, so a double submit files once.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Field, QuerySet
from django.utils import timezone
from pypdf import PdfReader

from cases.models import Case, Party, Representation
from cases.services import PartyData, add_party
from core.audit import record_event
from core.compiled import prepared_cursor
from core.compiled_lookup import CompiledLookup
from core.errors import NotAllowed, UserFacingError
from filers.models import Role, User

from ..fees import create_payment, quote_fee
from ..models import DocketEntry, Payment
from ..services import (
    FilingRequest,
    UploadedDocument,
    documents_stored,
    file_in_locked_case,
    lock_case,
)
from ..uploads import UploadRefused, validated_upload
from . import rules, wizard
from .models import Draft


def blockers_for(*, user: User, principal: User) -> list[str]:
    """Why `user` may not file now as `principal` (their own standing and the principal's)."""
    problems = rules.filer_standing_problems(user=user, principal=principal)
    return [p.message for p in problems]


@transaction.atomic
def start_draft(*, user: User, principal: User, case: Case) -> Draft:
    """Start a filing in `case` as `principal` (the user, or an agent's attorney)."""
    problems = blockers_for(user=user, principal=principal)
    if problems:
        raise NotAllowed(" ".join(problems))
    draft = Draft.objects.create(
        owner=user,
        principal=principal,
        case=case,
        state={},
        idempotency_key=f"draft-{secrets.token_urlsafe(24)}",
        expires_at=timezone.now() + dt.timedelta(days=settings.ECF_DRAFT_DAYS),
    )
    record_event(
        actor=user,
        on_behalf_of=principal if principal.pk != user.pk else None,
        action="dockets.draft.started",
        target=draft,
        case_id=case.pk,
    )
    return draft


def save_state(draft: Draft, *, step: str, **changes) -> Draft:
    """Store answers of one step; the draft's life starts again from now."""
    draft.state = {**draft.state, **changes}
    draft.step = step
    now = timezone.now()
    draft.expires_at = now + dt.timedelta(days=settings.ECF_DRAFT_DAYS)
    draft.updated_at = now
    _save_draft_fields(draft, _STATE_FIELDS)
    return draft


# What save_state writes on every step: the statement is written once per process (as
# Draft.save(update_fields=...) writes it, the step a fixed name, so no text to
# normalise) and run as a prepared statement (core.compiled).
_STATE_FIELDS = ("state", "step", "expires_at", "updated_at")


def _draft_fields(names: tuple[str, ...]) -> list[Field]:
    by_name = {f.name: f for f in Draft._meta.concrete_fields}
    return [by_name[name] for name in names]


@functools.cache
def _update_sql(names: tuple[str, ...], vendor: str) -> str:
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(f.column)} = %s" for f in _draft_fields(names))
    # Only the model's own quoted names go into the text; every value is a parameter.
    where = f"WHERE {qn(Draft._meta.pk.column)} = %s"
    return f"UPDATE {qn(Draft._meta.db_table)} SET {sets} {where}"  # noqa: S608


def _save_draft_fields(draft: Draft, names: tuple[str, ...]) -> None:
    """draft.save(update_fields=names), with the statement written once."""
    params = [
        f.get_db_prep_save(getattr(draft, f.attname), connection)
        for f in _draft_fields(names)
    ]
    with prepared_cursor(connection.alias) as cursor:
        cursor.execute(_update_sql(names, connection.vendor), [*params, draft.pk])
        if cursor.rowcount != 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")


# -- Uploads -------------------------------------------------------------------------


@dataclass
class UploadResult:
    ok: bool
    message: str = ""


def add_upload(
    *,
    draft: Draft,
    upload,
    main: bool,
    attachment_type: str = "",
    description: str = "",
) -> UploadResult:
    """Validate an uploaded PDF and keep it with the draft; a refused file is not kept.

    The file is judged by dockets.uploads.validated_upload, outside any transaction.
    The original bytes are stored unchanged; its SHA-512 is the one the filing records.
    Where a fix is safe (oversized pages, fillable fields) a repaired copy is kept
    beside it for the filer to review; it is filed only if the filer accepts it.
    """
    assert draft.case is not None  # noqa: S101 (every draft is made in a case)
    events = wizard.events_of(draft)
    signed = main and not all(e.category in wizard.UNSIGNED_CATEGORIES for e in events)
    try:
        with validated_upload(
            upload,
            debtor_names=wizard.debtor_names(draft.case) if main else (),
            needs_signature=signed,
            field="main" if main else "attachment",
            accept_repairable=True,
        ) as checked:
            analysis, path = checked.analysis, checked.path
            problems = [p.message for p in analysis.problems]
            offer = bool(problems) or analysis.has_form_fields
            repaired = _repair(draft, path) if offer else None
            if problems and repaired is None:
                return UploadResult(False, " ".join(problems))
            with open(path, "rb") as fh:
                name = default_storage.save(
                    f"drafts/{draft.pk}/{secrets.token_hex(16)}.pdf", File(fh)
                )
    except UploadRefused as refused:
        return UploadResult(False, refused.message)
    doc = {
        "main": main,
        "name": name,
        "filename": os.path.basename(upload.name or "document.pdf")[:200],
        "sha512": analysis.sha512,
        "size": analysis.size,
        "page_count": analysis.page_count,
        "description": "Main Document"
        if main
        else (description.strip() or attachment_type)[:200],
        "attachment_type": "" if main else attachment_type,
        "findings": [
            {"code": f.code, "message": f.message, "page": f.page}
            for f in analysis.findings
        ],
        "must_repair": bool(problems),
        "problems": problems,
        "repair_offered": repaired is not None,
        "use_repaired": False,
        "repaired": repaired,
    }
    documents = [
        d for d in draft.state.get("documents", []) if not (main and d.get("main"))
    ]
    if main:
        for old in draft.state.get("documents", []):
            if old.get("main"):
                _delete_files(old)
        documents.insert(0, doc)
    else:
        documents.append(doc)
    save_state(draft, step="documents", documents=documents)
    return UploadResult(True)


def _repair(draft: Draft, src: str) -> dict | None:
    """Make a repaired copy (flattened forms, pages scaled to letter) for the filer to review.

    Only for a file that passed validation apart from page size and form fields, as
    dockets.pdf.repair requires; the repair reads the upload in a sandboxed child of the
    checkers' pool (sandbox.repair_upload, with its CPU, memory and output limits),
    never in this process. The page count is read from the copy the repair wrote.
    """
    from ..pdf.sandbox import repair_upload

    fd, dst = tempfile.mkstemp(suffix=".pdf")
    os.close(fd)
    try:
        changes = repair_upload(src, dst)
        with open(dst, "rb") as fh:
            data = fh.read()
        if not data:
            return None
        with open(dst, "rb") as fh:
            repaired_name = default_storage.save(
                f"drafts/{draft.pk}/{secrets.token_hex(16)}.pdf", File(fh)
            )
        return {
            "name": repaired_name,
            "sha512": hashlib.sha512(data).hexdigest(),
            "size": len(data),
            "page_count": len(PdfReader(dst).pages),
            "changes": [
                str(c) for c in (changes if isinstance(changes, list | tuple) else [])
            ],
        }
    # A failed repair only means no offer: the original stays as it is.
    except Exception:
        return None
    finally:
        os.unlink(dst)


def remove_upload(*, draft: Draft, index: int) -> None:
    documents = list(draft.state.get("documents", []))
    if 0 <= index < len(documents):
        _delete_files(documents.pop(index))
        save_state(draft, step="documents", documents=documents)


def _delete_files(doc: dict) -> None:
    for name in [doc.get("name"), (doc.get("repaired") or {}).get("name")]:
        if name:
            default_storage.delete(name)


def delete_draft_files(draft: Draft) -> None:
    for doc in draft.state.get("documents", []):
        _delete_files(doc)
    try:
        folder = default_storage.path(f"drafts/{draft.pk}")
    except NotImplementedError:
        return
    shutil.rmtree(folder, ignore_errors=True)


# -- Submit --------------------------------------------------------------------------


def build_request(
    *, draft: Draft, user: User, chosen: wizard.Chosen | None = None
) -> FilingRequest:
    """The FilingRequest the draft describes (documents as stored, fee after exemptions)."""
    assert draft.case is not None  # noqa: S101 (every draft is made in a case)
    chosen = chosen or wizard.load(draft)
    stored, shown = wizard.filing_fields(draft, chosen.events)
    new_parties = draft.state.get("new_parties", [])
    placeholder = [
        Party(case=draft.case, role=p["role"], name=p["name"], added_in_filing=True)
        for p in new_parties
    ]
    parties = chosen.parties + placeholder
    quote = quote_fee(
        events=chosen.events,
        case=draft.case,
        filer=draft.principal,
        parties=parties,
        fields=stored,
        child_support=bool(draft.state.get("child_support")),
    )
    documents = []
    for doc in draft.state.get("documents", []):
        use = (
            doc["repaired"] if doc.get("use_repaired") and doc.get("repaired") else doc
        )
        documents.append(
            UploadedDocument(
                path=use["name"],  # a storage name until local_files() makes it a path
                filename=doc["filename"],
                sha512=use["sha512"],
                size=use["size"],
                page_count=use["page_count"],
                description=doc["description"],
                attachment_type=doc["attachment_type"],
            )
        )
    return FilingRequest(
        case=draft.case,
        events=chosen.events,
        filer=draft.principal,
        entered_by=user if user.pk != draft.principal_id else None,
        parties=parties,
        against=chosen.against,
        related=chosen.related,
        documents=documents,
        fields=stored,
        text_fields=shown,
        joint_filers=[j.get_full_name() for j in chosen.joint],
        fee_cents=quote.base_cents if quote.base_cents else 0,
        fee_status=quote.status,
        fee_note=quote.note,
        idempotency_key=draft.idempotency_key,
    )


def local_files(request: FilingRequest) -> list[str]:
    """Point each document at a local file (create_entry reads paths); returns temp copies to delete.

    The filesystem storage has paths already; an object store's files are copied down.
    """
    temporary = []
    for doc in request.documents:
        try:
            doc.path = default_storage.path(doc.path)
        except NotImplementedError:
            fd, local = tempfile.mkstemp(suffix=".pdf")
            with (
                os.fdopen(fd, "wb") as out,
                default_storage.open(doc.path, "rb") as src,
            ):
                shutil.copyfileobj(src, out)
            doc.path = local
            temporary.append(local)
    return temporary


def check_for(
    *, draft: Draft, user: User, chosen: wizard.Chosen | None = None
) -> rules.FilingCheck:
    """The draft as the rule book reads it."""
    assert draft.case is not None  # noqa: S101 (every draft is made in a case)
    chosen = chosen or wizard.load(draft)
    return rules.FilingCheck(
        user=user,
        principal=draft.principal,
        case=draft.case,
        events=chosen.events,
        parties=chosen.parties,
        new_parties=draft.state.get("new_parties", []),
        against=chosen.against,
        related=chosen.related,
        documents=draft.state.get("documents", []),
        fields=draft.state.get("fields", {}),
    )


def draft_problems(
    *, draft: Draft, user: User, chosen: wizard.Chosen | None = None
) -> list[rules.Problem]:
    """The rule book's problems for this draft (dockets.filing.rules.filing_problems)."""
    return rules.filing_problems(check_for(draft=draft, user=user, chosen=chosen))


def problems_before_submit(
    *, draft: Draft, user: User, chosen: wizard.Chosen | None = None
) -> list[str]:
    """Everything that stops this draft from being filed now, in plain words."""
    problems = draft_problems(draft=draft, user=user, chosen=chosen)
    return [p.message for p in rules.blocking(problems)]


def review_findings(
    *, draft: Draft, problems: list[rules.Problem], events
) -> list[dict]:
    """The warnings the filer acknowledges at review: the documents' and the rule book's."""
    return wizard.filing_findings(draft, events) + [
        {"code": p.code, "message": p.message, "page": None, "document": "Filing"}
        for p in problems
        if p.warning
    ]


class FilingRefused(UserFacingError):
    """The rule book refused the filing; `problems` says why, each with its step and field."""

    def __init__(self, problems: list[rules.Problem]):
        super().__init__(" ".join(p.message for p in problems))
        self.problems = problems


def entry_by_key_query(*, shape: str, key: str) -> QuerySet[DocketEntry]:
    """The entry filed with this idempotency key (a draft's), if any."""
    return DocketEntry.objects.filter(idempotency_key=key).order_by("pk")


# Every submit asks it first (a double submit returns the first filing's entry):
# compiled once per process.
_ENTRY_BY_KEY = CompiledLookup(
    entry_by_key_query, {"key": "ecf-placeholder-idempotency-key"}
)


def submit_draft(
    *,
    draft: Draft,
    user: User,
    acknowledged: bool,
    chosen: wizard.Chosen | None = None,
    problems: list[rules.Problem] | None = None,
) -> DocketEntry:
    """File the draft: one short transaction, then the pipeline's work on commit.

    `problems` is the rule book's verdict (`draft_problems`) on this draft as it
    stands, when the caller already has it from the same request (the review
    page shows it); otherwise it is computed here.

    Raises UserFacingError with the reasons when something stops the filing (nothing
    is written then). A draft already filed returns its entry (a double submit).
    """
    existing = _ENTRY_BY_KEY.first("plain", key=draft.idempotency_key)
    if existing is not None:
        return existing
    chosen = chosen or wizard.load(draft)
    if problems is None:
        problems = draft_problems(draft=draft, user=user, chosen=chosen)
    request = checked_request(
        draft=draft,
        user=user,
        acknowledged=acknowledged,
        chosen=chosen,
        problems=problems,
    )
    temporary = local_files(request)
    try:
        return file_request(draft=draft, user=user, request=request, chosen=chosen)
    finally:
        for path in temporary:
            os.unlink(path)


def checked_request(
    *,
    draft: Draft,
    user: User,
    acknowledged: bool,
    chosen: wizard.Chosen,
    problems: list[rules.Problem],
) -> FilingRequest:
    """The FilingRequest of a draft the rule book accepts; FilingRefused otherwise.

    `problems` is the rule book's verdict on this draft (`draft_problems`, i.e.
    dockets.filing.rules.filing_problems); its warnings and the documents' findings
    must be acknowledged. Reads the database only to quote the fee.
    """
    blocking = rules.blocking(problems)
    findings = review_findings(draft=draft, problems=problems, events=chosen.events)
    if findings and not acknowledged:
        blocking.append(
            rules.Problem(
                "unacknowledged",
                "Tick \u201cI have reviewed these warnings\u201d to file.",
                "review",
                "acknowledge_warnings",
            )
        )
    if blocking:
        raise FilingRefused(blocking)
    request = build_request(draft=draft, user=user, chosen=chosen)
    request.findings = [
        {
            "code": f["code"],
            "message": f["message"],
            "page": f.get("page"),
            "document": f.get("document", ""),
            "overridden": True,
        }
        for f in findings
    ]
    return request


def file_request(
    *, draft: Draft, user: User, request: FilingRequest, chosen: wizard.Chosen
) -> DocketEntry:
    """File a checked request (`checked_request`) whose documents are local files.

    The files go to storage before the transaction; the case lock is held only to
    number and insert (dockets.services.documents_stored). A draft that was never
    saved (the API files without one) is not marked submitted.

    A draft files once: its idempotency key is unique on the docket. A second
    submit of the same draft waits for the case lock, its entry's INSERT is refused
    by the key's unique index, everything it wrote rolls back (numbers included),
    and the first filing's entry is returned. The key is not read under the lock
    beforehand: the index answers the question in the INSERT itself.
    """
    assert draft.case is not None  # noqa: S101 (every draft is made in a case)
    with documents_stored(request.documents, case_id=draft.case.pk):
        try:
            return _file_in_lock(draft=draft, user=user, request=request, chosen=chosen)
        except IntegrityError:
            existing = DocketEntry.objects.filter(
                idempotency_key=draft.idempotency_key
            ).first()
            if existing is None:
                raise
            # The rolled-back rows held nothing: documents_stored deletes the files.
            for doc in request.documents:
                doc.held = False
            return existing


@transaction.atomic
def _file_in_lock(
    *, draft: Draft, user: User, request: FilingRequest, chosen: wizard.Chosen
) -> DocketEntry:
    assert draft.case is not None  # noqa: S101 (every draft is made in a case)
    case = lock_case(draft.case.pk)
    created = [
        add_party(
            case=draft.case,
            actor=user,
            data=PartyData(
                role=p["role"],
                name=p["name"],
                is_entity=p.get("is_entity", False),
                added_in_filing=True,
            ),
        )
        for p in draft.state.get("new_parties", [])
    ]
    request.parties = chosen.parties + created
    entry = file_in_locked_case(request, case=case)
    unassociated = [
        p for p in request.parties if p.pk not in request.represented_party_ids
    ]
    if draft.principal.role == Role.ATTORNEY and unassociated:
        # cmecf.md 3.2 step 6: the first filing for a client makes the association
        # (one INSERT for all the parties; one already associated is left as it is).
        Representation.objects.bulk_create(
            [
                Representation(
                    case=draft.case,
                    party=party,
                    attorney=draft.principal,
                    notice=True,
                )
                for party in unassociated
            ],
            ignore_conflicts=True,
        )
    create_payment(entry=entry, payer=draft.principal)
    if draft.pk is not None:
        Draft.objects.filter(pk=draft.pk).update(
            status=Draft.Status.SUBMITTED, entry=entry, updated_at=timezone.now()
        )
        transaction.on_commit(lambda: delete_draft_files(draft))
    return entry


def discard_draft(*, draft: Draft, user: User) -> None:
    """Delete an unfinished draft and its uploaded files."""
    delete_draft_files(draft)
    record_event(
        actor=user,
        action="dockets.draft.discarded",
        target=draft,
        case_id=draft.case_id,
    )
    draft.delete()


def expire_drafts(*, now=None) -> int:
    """Delete drafts past their expiry (ECF_DRAFT_DAYS) and their files; returns how many."""
    now = now or timezone.now()
    count = 0
    for draft in Draft.objects.filter(
        expires_at__lt=now, status=Draft.Status.OPEN
    ).iterator():
        delete_draft_files(draft)
        draft.delete()
        count += 1
    for draft in Draft.objects.filter(
        status=Draft.Status.SUBMITTED, updated_at__lt=now - dt.timedelta(days=1)
    ):
        draft.delete()
    return count


def payment_for(entry: DocketEntry) -> Payment | None:
    return entry.payments.filter(
        status__in=[Payment.Status.DUE, Payment.Status.FAILED]
    ).first()
