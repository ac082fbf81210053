"""Writes on the docket. Every function owns its transaction, writes an audit event and
queues follow-up work on commit (stamping, notices)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case, Party
from core import clock
from core.audit import record_event
from core.compiled import CompiledQuery
from core.errors import UserFacingError
from filers.models import User

from .catalogue_data import EventFiler
from .models import DocketEntry, Document, Event, Visibility, document_name
from .text import build_docket_text, event_text_for

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class UploadedDocument:
    """A PDF that passed validation, ready to be filed."""

    path: str
    filename: str
    sha512: str
    size: int
    page_count: int
    description: str = "Main Document"
    attachment_type: str = ""
    # Set by documents_stored: the file's name in storage, written before the
    # transaction so that the case lock is never held while bytes are copied.
    stored_name: str = ""
    # The storage folder when not the case's documents (dockets.models.document_name).
    folder: str = ""
    # True once a row holds `stored_name` (take_stored); documents_stored deletes the rest.
    held: bool = False

    def take_stored(self) -> str:
        """The stored file's name, for the row that will hold it.

        Raises ImproperlyConfigured if the file was not stored before the
        transaction (`documents_stored`): no write path copies bytes under the
        case lock.
        """
        if not self.stored_name:
            raise ImproperlyConfigured(
                f"{self.filename} was not stored before the transaction: file it "
                "inside dockets.services.documents_stored."
            )
        self.held = True
        return self.stored_name

    @classmethod
    def from_path(
        cls,
        path: str | Path,
        *,
        filename: str = "",
        description: str = "Main Document",
        attachment_type: str = "",
        page_count: int = 0,
        folder: str = "",
    ) -> UploadedDocument:
        data = Path(path).read_bytes()
        return cls(
            path=str(path),
            filename=filename or Path(path).name,
            sha512=hashlib.sha512(data).hexdigest(),
            size=len(data),
            page_count=page_count,
            description=description,
            attachment_type=attachment_type,
            folder=folder,
        )


@dataclass
class FilingRequest:
    """Everything one filing carries (built by the wizard, the API or the demo data)."""

    case: Case
    events: list[Event]
    # Whose signature the filing carries; None for a paper filing the clerk dockets
    # for someone without an account (a pro se debtor's petition).
    filer: User | None
    entered_by: User | None = None  # the agent or clerk who keyed it, if not the filer
    parties: list[Party] = field(default_factory=list)
    against: list[Party] = field(default_factory=list)
    related: list[DocketEntry] = field(default_factory=list)
    documents: list[UploadedDocument] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    joint_filers: list[str] = field(default_factory=list)
    text_suffix: str = ""
    text_override: str = ""
    fee_cents: int | None = None
    fee_status: str | None = None
    fee_note: str = ""
    findings: list[dict] = field(default_factory=list)
    idempotency_key: str | None = None
    visibility: str | None = None
    filer_label: str = ""  # e.g. clerk initials "(adm)" instead of "Last, First"
    text_fields: dict | None = (
        None  # field values as the docket text shows them (dates as 11/26/2026)
    )
    # Filing parties the filer was read to be attorney of record for in this request
    # (before the lock; a representation is never deleted): the association the
    # filing makes (dockets.filing.services.file_request) is not written again.
    represented_party_ids: frozenset[int] = frozenset()
    # Other counters of the locked case the caller moved (e.g. "last_claim_number"):
    # saved in the one UPDATE that takes the entry's numbers.
    case_counters: tuple[str, ...] = ()
    # Added to the entry's audit event: how the filing came in (the API token's id).
    audit_after: dict = field(default_factory=dict)
    audit_note: str = ""


def _docket_name(user: User | None) -> str:
    if user is None:
        return ""
    filer = getattr(user, "filer_or_none", None)
    if filer is not None:
        return filer.user.get_full_name()
    return user.get_full_name()


def lock_case(case_id: int) -> Case:
    """Lock the case row: numbering and the case's audit chain are extended under it."""
    # The office and judge come along (unlocked): the entry's audit event names the
    # case by its display number, which would otherwise cost two queries under the lock.
    # FOR NO KEY UPDATE, not FOR UPDATE: filings in the case still wait for each other,
    # but a row that only refers to the case (a draft, a claim, a notice: the foreign
    # key check at COMMIT takes FOR KEY SHARE) does not wait for the filing. With FOR
    # UPDATE, start_draft (which holds the case's audit chain head when it commits)
    # and a filing (which holds this lock and then asks for the chain head) deadlocked,
    # and the filer saw the 503 "try again" page (issue 21's load run;
    # tests/dockets/test_case_lock_order.py).
    case = _LOCKED_CASE.first(case_id)
    if case is None:
        raise Case.DoesNotExist(f"No case {case_id}.")
    return case


def _locked_case_query(case_id: int) -> QuerySet[Case]:
    return (
        Case.objects.select_for_update(of=("self",), no_key=True)
        .select_related("office", "judge")
        .filter(pk=case_id)
    )


# Compiled once per process (core.compiled): every filing takes this lock.
_LOCKED_CASE = CompiledQuery(_locked_case_query)


def next_entry_numbers(
    case: Case, *, numbered: bool, also: Sequence[str] = ()
) -> tuple[int | None, int]:
    """Return (number or None, seq) for a new entry; the caller holds the case lock.

    `also` names other fields of the locked case the caller changed (a claim
    number), saved in the same UPDATE.
    """
    case.last_entry_seq += 1
    number = None
    if numbered:
        case.last_entry_number += 1
        number = case.last_entry_number
    case.save(
        update_fields=["last_entry_seq", "last_entry_number", *also, "updated_at"]
    )
    return number, case.last_entry_seq


def compose_text(request: FilingRequest, *, fee_cents: int) -> str:
    if request.text_override:
        return request.text_override
    shown = request.text_fields if request.text_fields is not None else request.fields
    texts = [event_text_for(e, shown) for e in request.events]
    related = [(r.number, r.event.name) for r in request.related]
    attachments = [d.description for d in request.documents[1:]]
    return build_docket_text(
        event_texts=texts,
        filer_name=_docket_name(request.filer) if request.filer else "",
        party_names=[p.name for p in request.parties],
        joint_filers=request.joint_filers,
        related=related,
        attachments=attachments,
        fee_cents=fee_cents,
        fee_note=request.fee_note,
        suffix=request.text_suffix,
    )


def create_entry(request: FilingRequest, *, case: Case) -> DocketEntry:
    """Create the entry and its documents; the caller holds the case lock.

    Used by file_docket_entry and by services that open a case (the petition is entry 1).
    """
    primary = request.events[0]
    numbered = any(e.numbered for e in request.events)
    fee_cents = (
        request.fee_cents
        if request.fee_cents is not None
        else sum(e.fee_cents for e in request.events)
    )
    if request.fee_status is not None:
        fee_status = request.fee_status
    else:
        fee_status = (
            DocketEntry.FeeStatus.DUE if fee_cents else DocketEntry.FeeStatus.NONE
        )
    number, seq = next_entry_numbers(
        case, numbered=numbered, also=request.case_counters
    )
    now = timezone.now()
    text = compose_text(request, fee_cents=fee_cents)
    visibility = request.visibility or primary.visibility or Visibility.PUBLIC
    entry = DocketEntry(
        case=case,
        number=number,
        seq=seq,
        event=primary,
        filed_at=now,
        entered_at=now,
        filed_date=clock.local_date(now),
        filer=request.filer,
        entered_by=request.entered_by or request.filer,
        filer_name=request.filer_label or _docket_name(request.filer),
        text=text,
        original_text=text,
        visibility=visibility,
        fee_cents=fee_cents,
        fee_status=fee_status,
        fields={
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in request.fields.items()
        },
        findings=request.findings,
        idempotency_key=request.idempotency_key,
    )
    # Field checks only: the unique keys and constraints are the database's to
    # enforce, and checking them here would cost queries under the case lock.
    entry.full_clean(
        exclude=["case", "event", "filer", "entered_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    entry.save()
    # add(), not set(): the entry is new, so there is nothing to compare with.
    if len(request.events) > 1:
        entry.extra_events.add(*request.events[1:])
    if request.parties:
        entry.filing_parties.add(*request.parties)
    if request.against:
        entry.against_parties.add(*request.against)
    if request.related:
        entry.related.add(*request.related)
    # The rows as the INSERTs returned them (the trigger's cmecf_id included): the
    # receipt is made from these, not read back.
    entry.filed_documents = []
    for sequence, upload in enumerate(request.documents):
        document = Document(
            entry=entry,
            sequence=sequence,
            description=upload.description if sequence else "Main Document",
            attachment_type=upload.attachment_type,
            original_filename=Path(upload.filename).name[:255],
            sha512=upload.sha512,
            size=upload.size,
            page_count=upload.page_count,
        )
        document.original.name = upload.take_stored()
        document.save()
        entry.filed_documents.append(document)
    record_event(
        actor=request.entered_by or request.filer,
        on_behalf_of=request.filer
        if request.entered_by and request.entered_by != request.filer
        else None,
        action="dockets.entry.filed",
        target=entry,
        case_id=case.pk,
        after={
            "number": number,
            "event": primary.code,
            "text": text,
            "documents": [d.sha512 for d in request.documents],
            **request.audit_after,
        },
        note=request.audit_note,
    )
    if primary.case_action or primary.sets_deadlines or primary.ends_deadlines:
        from .case_events import (
            apply_case_action,  # issue 6: what the entry does to its case
        )

        apply_case_action(entry)
    return entry


# -- what follows a filing ------------------------------------------------------------

# The work every filing sets off (the NEF row now, stamping and notices after commit).
# The pipeline registers it from DocketsConfig.ready() (dockets/apps.py): the kernel
# imports no sub-package (ARCHITECTURE.md), and the wiring is code that names one
# function, not a setting that could leave a filing without its notice.
_filing_hooks: list[Callable[[DocketEntry], object]] = []


def on_entry_filed(hook: Callable[[DocketEntry], object]) -> None:
    """Register `hook(entry)` to run in the transaction of every filing (once per hook)."""
    if hook not in _filing_hooks:
        _filing_hooks.append(hook)


def after_filing(entry: DocketEntry) -> None:
    """Start the work that follows a filing: stamping, then notices.

    Call it in the filing's transaction, after the entry and its documents exist.
    The registered hook (`dockets.pipeline.services.start_pipeline_in_filing`)
    creates the entry's pending NEF row in this transaction, so the filing and its
    notice commit together or not at all, and queues the stamping once the
    transaction commits; a broker outage then never fails the filing (the sweeper
    finds the pending rows). Raises ImproperlyConfigured if nothing is registered.
    """
    if not _filing_hooks:
        raise ImproperlyConfigured(
            "No pipeline is registered to stamp and notice filings (dockets.apps)."
        )
    for hook in _filing_hooks:
        hook(entry)


@contextlib.contextmanager
def documents_stored(
    documents: Sequence[UploadedDocument], *, case_id: int | None
) -> Iterator[None]:
    """Write the documents' files to storage now, for the transaction in the block.

    The one way a write path stores an upload: call it *before* the transaction
    that locks the case, with that transaction inside the block. Copying bytes
    (and, for an object store, uploading them) is the slowest part of a filing;
    done here, the case lock is held only to number and insert. Each file goes
    to a random name in the case's folder (`document_name`; `case_id` None for a
    case not opened yet) or in `UploadedDocument.folder`; documents stored
    already are left alone.

    What is left in storage: a storage failure raises before any transaction,
    after deleting what this call had written, so no row exists and no file is
    left. If the block raises, its transaction rolled back, nothing refers to the
    files and they are deleted. If it succeeds, the files no row took
    (`UploadedDocument.take_stored`; an idempotent repeat that returned the first
    filing) are deleted once the transaction commits. Only if an *outer*
    transaction rolls back after the block are files left that nothing refers
    to: harmless (names are random and unlisted) and never served.
    """
    written: list[UploadedDocument] = []
    try:
        for upload in documents:
            if upload.stored_name:
                continue
            name = (
                f"{upload.folder}/{secrets.token_hex(16)}.pdf"
                if upload.folder
                else document_name(case_id)
            )
            with open(upload.path, "rb") as fh:
                upload.stored_name = default_storage.save(name, File(fh))
            written.append(upload)
        yield
    except BaseException:
        _discard(written)
        raise
    unheld = [u for u in written if not u.held]
    if unheld:
        transaction.on_commit(lambda: _discard(unheld))


def _discard(uploads: list[UploadedDocument]) -> None:
    """Delete files `documents_stored` wrote that no row holds."""
    for upload in uploads:
        default_storage.delete(upload.stored_name)
        upload.stored_name = ""


def stored_then_atomic(
    documents: Callable[[Mapping[str, Any]], Sequence[UploadedDocument | None]],
    case_id: Callable[[Mapping[str, Any]], int | None],
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Make a write service store its uploads first, then run in one transaction.

    `documents` and `case_id` read the service's arguments (defaults applied) and
    say what to store and in which case's folder; the service itself runs inside
    `transaction.atomic` within `documents_stored`, so its case lock is held only
    to check, number and insert. None in the documents is skipped (an optional
    upload left out).
    """

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(service)
        in_transaction = transaction.atomic(service)

        @functools.wraps(service)
        def store_then_run(*args: P.args, **kwargs: P.kwargs) -> R:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            uploads = [u for u in documents(bound.arguments) if u is not None]
            with documents_stored(uploads, case_id=case_id(bound.arguments)):
                return in_transaction(*args, **kwargs)

        return store_then_run

    return decorate


def file_docket_entry(request: FilingRequest) -> DocketEntry:
    """Record a filing on the docket in one short transaction.

    The files are written to storage first (`documents_stored`; a caller that
    holds a transaction already should store them before it). Then the transaction locks the case row for the next
    number (numbers never repeat and never skip), creates the entry, its
    documents and an audit event, and queues stamping and notices after
    commit. A repeated idempotency key returns the first entry.
    Raises UserFacingError if the case is closed to filings.
    """
    with documents_stored(request.documents, case_id=request.case.pk):
        entry, _created = _file_in_transaction(request)
    return entry


@transaction.atomic
def _file_in_transaction(request: FilingRequest) -> tuple[DocketEntry, bool]:
    if request.idempotency_key:
        existing = DocketEntry.objects.filter(
            idempotency_key=request.idempotency_key
        ).first()
        if existing is not None:
            return existing, False
    case = lock_case(request.case.pk)
    if request.idempotency_key:
        # Checked again under the lock: two submits of the same form file once.
        existing = DocketEntry.objects.filter(
            idempotency_key=request.idempotency_key
        ).first()
        if existing is not None:
            return existing, False
    return file_in_locked_case(request, case=case), True


def file_in_locked_case(request: FilingRequest, *, case: Case) -> DocketEntry:
    """File the request into `case`, whose row the caller has locked (`lock_case`).

    For callers that lock the case themselves (the wizard's submit checks the
    draft's key under the lock): the closed-case rule, the entry, and the
    pipeline's work queued after commit. The files must be stored already
    (`documents_stored`).
    """
    if not case.is_open and not _allowed_in_closed_case(request.events):
        raise UserFacingError(
            f"Case {case.display_number} is {case.get_status_display().lower()}. "
            "It takes only a motion to reopen and the few events a closed case accepts."
        )
    entry = create_entry(request, case=case)
    after_filing(entry)
    return entry


def _allowed_in_closed_case(events: list[Event]) -> bool:
    # The rule book's list (dockets.filing.rules), plus the court's own automatic
    # entries (a fee receipt for a fee paid after closing).
    from .filing.rules import allowed_in_closed_case

    return all(
        allowed_in_closed_case(e) or EventFiler.COURT in e.filer_roles for e in events
    )
