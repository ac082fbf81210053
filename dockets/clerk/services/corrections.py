"""QC review and corrections: corrective entries, entered in error, text changes,
replaced PDFs, stricken entries and filings moved to the right case."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.models import Case
from core import clock
from core.audit import record_event
from core.errors import UserFacingError
from filers.models import User

from ...catalogue_data import EventCategory
from ...models import (
    DocketEntry,
    Document,
    Visibility,
)
from ...services import (
    FilingRequest,
    UploadedDocument,
    after_filing,
    create_entry,
    documents_stored,
    lock_case,
)
from .common import (
    CORRECTIONS,
    MAX_TEXT,
    _copy_documents,
    _docket,
    _event,
    _locked_entry,
    _ref,
    _revise,
    _tell_filer,
    clerk_initials,
)
from .notices import send_edit_notice


@transaction.atomic
def mark_entry_reviewed(
    *, entry: DocketEntry, clerk: User, note: str = ""
) -> DocketEntry:
    """Mark a filing reviewed in QC. Raises UserFacingError if already reviewed."""
    _case, entry = _locked_entry(entry.pk)
    if entry.qc_status == DocketEntry.QcStatus.REVIEWED:
        who = entry.qc_by.get_full_name() if entry.qc_by else "someone"
        raise UserFacingError(f"Entry {_ref(entry)} was already reviewed by {who}.")
    entry.qc_status = DocketEntry.QcStatus.REVIEWED
    entry.qc_by = clerk
    entry.qc_at = timezone.now()
    entry.save(update_fields=["qc_status", "qc_by", "qc_at", "updated_at"])
    record_event(
        actor=clerk,
        action="dockets.qc.reviewed",
        target=entry,
        case_id=entry.case_id,
        before={"qc_status": "pending"},
        after={"qc_status": "reviewed"},
        note=note,
    )
    return entry


def _acted_on(entry: DocketEntry, clerk: User) -> None:
    """A correction is a QC decision too: the entry leaves the queue, reviewed by this clerk."""
    if entry.qc_status != DocketEntry.QcStatus.REVIEWED:
        entry.qc_status = DocketEntry.QcStatus.REVIEWED
        entry.qc_by = clerk
        entry.qc_at = timezone.now()
        entry.save(update_fields=["qc_status", "qc_by", "qc_at", "updated_at"])


WRONG_PDF = "Incorrect PDF, Filer Notified to Refile"


def _restrict_wrong_pdf(*, entry: DocketEntry, clerk: User, case) -> int:
    """Limit each of the entry's documents to the court and the filer (ex parte level
    on the document, which never lapses); returns how many were restricted."""
    count = 0
    now = timezone.now()
    for document in Document.objects.select_for_update().filter(entry=entry):
        narrow = (Visibility.COURT, Visibility.SEALED)
        if document.visibility in (*narrow, Visibility.EX_PARTE) or (
            entry.visibility in narrow
        ):
            continue  # already no wider than the court and the filer (and never lapses)
        before = document.visibility
        document.visibility = Visibility.EX_PARTE
        document.save(update_fields=["visibility", "updated_at"])
        _revise(
            entry=entry,
            clerk=clerk,
            field=f"document {document.pk} visibility",
            before=before or "same as entry",
            after="court and filer only",
            reason=WRONG_PDF,
            now=now,
        )
        record_event(
            actor=clerk,
            action="dockets.document.visibility_changed",
            target=document,
            case_id=case.pk,
            before={"visibility": before},
            after={"visibility": Visibility.EX_PARTE},
            note=WRONG_PDF,
        )
        count += 1
    if count:
        entry.modified_on = clock.today()
        entry.save(update_fields=["modified_on", "updated_at"])
    return count


@transaction.atomic
def docket_corrective_entry(
    *, entry: DocketEntry, clerk: User, correction: str, note: str = ""
) -> DocketEntry:
    """Docket a text-only "CORRECTIVE ENTRY: ..." referring to `entry`; tell the filer."""
    if correction not in CORRECTIONS:
        raise UserFacingError("Pick one of the listed corrections.")
    case, entry = _locked_entry(entry.pk)
    event = _event("corr")
    if correction == WRONG_PDF:
        # The wrong PDF must not stay readable: from now on only the court and the
        # filer may open it (the docket says so in the corrective entry).
        restricted = _restrict_wrong_pdf(entry=entry, clerk=clerk, case=case)
        if restricted:
            note = " ".join(
                [
                    note.strip(),
                    "The incorrect PDF is restricted to the court and the filer.",
                ]
            ).strip()
    values = {
        "correction": correction,
        **({"note": note.strip()} if note.strip() else {}),
    }
    corrective = _docket(
        case=case,
        event=event,
        clerk=clerk,
        values=values,
        related=[entry],
        note=note.strip(),
    )
    _acted_on(entry, clerk)
    record_event(
        actor=clerk,
        action="dockets.entry.corrective_entry",
        target=entry,
        case_id=case.pk,
        after={
            "corrective_entry": corrective.pk,
            "number": corrective.number,
            "text": corrective.text,
        },
    )
    _tell_filer(
        entry,
        subject=f"{case.display_number} Corrective entry about docket entry {_ref(entry)}",
        lines=[
            f"The clerk's office docketed a corrective entry about your filing {_ref(entry)} ({entry.event.name}):",
            corrective.text,
        ],
        docketed=corrective,
    )
    return corrective


@transaction.atomic
def mark_entered_in_error(
    *, entry: DocketEntry, clerk: User, reason: str
) -> DocketEntry:
    """Mark `entry` ***ENTERED IN ERROR*** and docket the notice of it; nothing is removed.

    Returns the new "Docket Entry Entered in Error" entry.
    """
    reason = reason.strip()
    if not reason:
        raise UserFacingError(
            "Say why the entry was entered in error; the reason goes on the docket."
        )
    case, entry = _locked_entry(entry.pk)
    if entry.entered_in_error:
        raise UserFacingError(
            f"Entry {_ref(entry)} is already marked entered in error."
        )
    now = timezone.now()
    before_text = entry.text
    entry.entered_in_error = True
    entry.text = f"***ENTERED IN ERROR*** {entry.text}"
    entry.modified_on = clock.today()
    entry.save(update_fields=["entered_in_error", "text", "modified_on", "updated_at"])
    _revise(
        entry=entry,
        clerk=clerk,
        field="entered_in_error",
        before=False,
        after=True,
        reason=reason,
        now=now,
    )
    _revise(
        entry=entry,
        clerk=clerk,
        field="text",
        before=before_text,
        after=entry.text,
        reason=reason,
        now=now,
    )
    notice = _docket(
        case=case,
        event=_event("eie"),
        clerk=clerk,
        values={"reason": reason.rstrip(".")},
        related=[entry],
    )
    _acted_on(entry, clerk)
    record_event(
        actor=clerk,
        action="dockets.entry.entered_in_error",
        target=entry,
        case_id=case.pk,
        before={"entered_in_error": False, "text": before_text},
        after={"entered_in_error": True, "text": entry.text, "notice_entry": notice.pk},
        note=reason,
    )
    _tell_filer(
        entry,
        subject=f"{case.display_number} Docket entry {_ref(entry)} marked entered in error",
        lines=[
            f"The clerk's office marked your filing {_ref(entry)} ({entry.event.name}) entered in error.",
            notice.text,
        ],
        docketed=notice,
    )
    return notice


@transaction.atomic
def modify_docket_text(
    *, entry: DocketEntry, clerk: User, text: str, reason: str = ""
) -> DocketEntry:
    """Change an entry's docket text: a revision row, "Modified on", and an edit NEF."""
    text = " ".join(text.split())
    if not text:
        raise UserFacingError("The docket text cannot be empty.")
    if len(text) > MAX_TEXT:
        raise UserFacingError(f"Docket text is limited to {MAX_TEXT} characters.")
    case, entry = _locked_entry(entry.pk)
    if text == entry.text:
        raise UserFacingError(
            "The new text is the same as the current text; nothing was changed."
        )
    before = entry.text
    now = timezone.now()
    entry.text = text
    entry.modified_on = clock.today()
    entry.save(update_fields=["text", "modified_on", "updated_at"])
    _revise(
        entry=entry,
        clerk=clerk,
        field="text",
        before=before,
        after=text,
        reason=reason,
        now=now,
    )
    _acted_on(entry, clerk)
    record_event(
        actor=clerk,
        action="dockets.entry.text_modified",
        target=entry,
        case_id=case.pk,
        before={"text": before},
        after={"text": text},
        note=reason,
    )
    entry_id, clerk_id = entry.pk, clerk.pk
    transaction.on_commit(
        lambda: _send_edit_notice_later(entry_id, clerk_id, before, text)
    )
    return entry


def _send_edit_notice_later(
    entry_id: int, clerk_id: int, before: str, after: str
) -> None:
    from filers.models import User

    entry = DocketEntry.objects.select_related(
        "case", "case__court", "case__office", "case__judge", "case__trustee"
    ).get(pk=entry_id)
    with transaction.atomic():
        send_edit_notice(
            entry=entry, clerk=User.objects.get(pk=clerk_id), before=before, after=after
        )


def replace_document(
    *, document: Document, clerk: User, upload: UploadedDocument, reason: str
) -> Document:
    """Store the PDF before the case lock (dockets.services.documents_stored), then `_replace_document`."""
    case_id = DocketEntry.objects.values_list("case_id", flat=True).get(
        pk=document.entry_id
    )
    with documents_stored([upload], case_id=case_id):
        return _replace_document(
            document=document, clerk=clerk, upload=upload, reason=reason
        )


@transaction.atomic
def _replace_document(
    *, document: Document, clerk: User, upload: UploadedDocument, reason: str
) -> Document:
    """Attach a corrected PDF to the entry as a new document; the old one is kept, court-only.

    The original row is never changed or deleted (trigger): it is marked replaced, which
    dockets.permissions treats as court-only, and stays in the audit trail.
    """
    reason = reason.strip()
    if not reason:
        raise UserFacingError("Say why the PDF is being replaced.")
    case, entry = _locked_entry(document.entry_id)
    old = Document.objects.select_for_update().get(pk=document.pk)
    if old.replaced:
        raise UserFacingError("That document was already replaced.")
    sequence = (entry.documents.aggregate(m=Max("sequence"))["m"] or 0) + 1
    new = Document(
        entry=entry,
        sequence=sequence,
        description=old.description,
        attachment_type=old.attachment_type,
        original_filename=Path(upload.filename).name[:255],
        sha512=upload.sha512,
        size=upload.size,
        page_count=upload.page_count,
        visibility=old.visibility,
    )
    new.original.name = upload.take_stored()
    new.save()
    old.replaced = True
    old.save(update_fields=["replaced", "updated_at"])
    now = timezone.now()
    entry.modified_on = clock.today()
    entry.save(update_fields=["modified_on", "updated_at"])
    _revise(
        entry=entry,
        clerk=clerk,
        field="document",
        before=f"{old.pk} {old.sha512}",
        after=f"{new.pk} {new.sha512}",
        reason=reason,
        now=now,
    )
    _acted_on(entry, clerk)
    record_event(
        actor=clerk,
        action="dockets.document.replaced",
        target=entry,
        case_id=case.pk,
        before={
            "document": old.pk,
            "sha512": old.sha512,
            "filename": old.original_filename,
        },
        after={
            "document": new.pk,
            "sha512": new.sha512,
            "filename": new.original_filename,
        },
        note=reason,
    )
    _queue_stamping(entry.pk)
    return new


def _queue_stamping(entry_id: int) -> None:
    """Ask the pipeline to stamp the entry's pending documents (its sweeper would anyway)."""
    from ...pipeline.tasks import stamp_entry_task

    stamp_entry_task.delay_on_commit(entry_id)


@transaction.atomic
def strike_entry(*, entry: DocketEntry, clerk: User, order: DocketEntry) -> DocketEntry:
    """Strike `entry` as the court's `order` directs; the entry stays on the docket, marked."""
    case, entry = _locked_entry(entry.pk)
    if entry.stricken:
        raise UserFacingError(f"Entry {_ref(entry)} is already stricken.")
    if (
        order.case_id != case.pk
        or order.event.category != EventCategory.ORDER
        or order.pk == entry.pk
    ):
        raise UserFacingError(
            "Striking needs the court's order on this case's docket: pick the order."
        )
    now = timezone.now()
    before = entry.text
    entry.stricken = True
    entry.text = f"{entry.text} STRICKEN pursuant to order {_ref(order)}."
    entry.modified_on = clock.today()
    entry.save(update_fields=["stricken", "text", "modified_on", "updated_at"])
    reason = f"Stricken pursuant to order {_ref(order)}"
    _revise(
        entry=entry,
        clerk=clerk,
        field="stricken",
        before=False,
        after=True,
        reason=reason,
        now=now,
    )
    _revise(
        entry=entry,
        clerk=clerk,
        field="text",
        before=before,
        after=entry.text,
        reason=reason,
        now=now,
    )
    _acted_on(entry, clerk)
    record_event(
        actor=clerk,
        action="dockets.entry.stricken",
        target=entry,
        case_id=case.pk,
        before={"stricken": False, "text": before},
        after={"stricken": True, "text": entry.text, "order": order.pk},
    )
    _tell_filer(
        entry,
        subject=f"{case.display_number} Docket entry {_ref(entry)} stricken",
        lines=[
            f"Your filing {_ref(entry)} ({entry.event.name}) was stricken pursuant to order {_ref(order)}."
        ],
    )
    return entry


def move_entry_to_case(*, entry: DocketEntry, clerk: User, target: Case) -> DocketEntry:
    """Re-docket a filing made in the wrong case on the right one; tell the filer.

    On the wrong case the entry is marked entered in error with a corrective entry
    ("Filed in Wrong Case"); on the right case a new entry carries the same text and
    new document rows holding copies of the same original bytes (same SHA-512).
    The copies are stored before any lock (originals never change; if a document
    was replaced in the meantime the move is refused, nothing changed). Both case
    rows are then locked, lower id first, so two moves cannot deadlock.
    """
    if target.pk == entry.case_id:
        raise UserFacingError(
            "The entry is already on that case. Pick the case it should have been filed in."
        )
    sources = [d for d in entry.documents.all() if not d.replaced]
    with tempfile.TemporaryDirectory(prefix="ecf-move-") as tmp:
        uploads = _copy_documents(entry, Path(tmp), only=sources)
        with documents_stored(uploads, case_id=target.pk):
            return _move_entry_to_case(
                entry=entry,
                clerk=clerk,
                target=target,
                uploads=uploads,
                sources=[d.pk for d in sources],
            )


@transaction.atomic
def _move_entry_to_case(
    *,
    entry: DocketEntry,
    clerk: User,
    target: Case,
    uploads: list[UploadedDocument],
    sources: list[int],
) -> DocketEntry:
    first, second = sorted([entry.case_id, target.pk])
    lock_case(first)
    lock_case(second)
    source = Case.objects.get(pk=entry.case_id)
    target = Case.objects.get(pk=target.pk)
    entry = (
        DocketEntry.objects.select_for_update(of=("self",))
        .select_related("event", "filer", "entered_by")
        .get(pk=entry.pk)
    )
    if entry.entered_in_error:
        raise UserFacingError(
            f"Entry {_ref(entry)} is already marked entered in error; it cannot be moved again."
        )
    if not target.is_open:
        raise UserFacingError(
            f"Case {target.display_number} is {target.get_status_display().lower()}; reopen it first."
        )
    current = [d.pk for d in entry.documents.all() if not d.replaced]
    if current != sources:
        raise UserFacingError(
            f"The documents of entry {_ref(entry)} changed while it was being moved. "
            "Look at the entry again, then move it."
        )
    initials = clerk_initials(clerk)
    text = f"{entry.original_text} (Refiled from case {source.display_number}, entry {_ref(entry)}.) ({initials})"
    request = FilingRequest(
        case=target,
        events=[entry.event],
        filer=entry.filer,
        entered_by=clerk,
        documents=uploads,
        fields=dict(entry.fields),
        text_override=text,
        fee_cents=0,
        fee_status=DocketEntry.FeeStatus.NONE,
        filer_label=entry.filer_name,
        visibility=entry.visibility,
        findings=list(entry.findings),
    )
    moved = create_entry(request, case=target)
    now = timezone.now()
    DocketEntry.objects.filter(pk=moved.pk).update(
        qc_status=DocketEntry.QcStatus.REVIEWED, qc_by=clerk, qc_at=now
    )
    after_filing(moved)
    # The wrong case: entered in error, with the corrective entry saying where it went.
    before_text = entry.text
    entry.entered_in_error = True
    entry.text = f"***ENTERED IN ERROR*** {entry.text}"
    entry.modified_on = clock.today()
    entry.save(update_fields=["entered_in_error", "text", "modified_on", "updated_at"])
    reason = f"Filed in wrong case; refiled in case {target.display_number} as entry {_ref(moved)}"
    _revise(
        entry=entry,
        clerk=clerk,
        field="entered_in_error",
        before=False,
        after=True,
        reason=reason,
        now=now,
    )
    _revise(
        entry=entry,
        clerk=clerk,
        field="text",
        before=before_text,
        after=entry.text,
        reason=reason,
        now=now,
    )
    corrective = _docket(
        case=source,
        event=_event("corr"),
        clerk=clerk,
        values={"correction": "Filed in Wrong Case"},
        related=[entry],
        note=f"Refiled in case {target.display_number} as entry {_ref(moved)}.",
    )
    _acted_on(entry, clerk)
    record_event(
        actor=clerk,
        action="dockets.entry.moved",
        target=entry,
        case_id=source.pk,
        before={"case": source.pk, "text": before_text},
        after={
            "case": target.pk,
            "new_entry": moved.pk,
            "corrective_entry": corrective.pk,
        },
    )
    record_event(
        actor=clerk,
        action="dockets.entry.refiled_from_other_case",
        target=moved,
        case_id=target.pk,
        after={
            "from_case": source.pk,
            "from_entry": entry.pk,
            "documents": [u.sha512 for u in uploads],
        },
    )
    _tell_filer(
        entry,
        subject=f"{source.display_number} Your filing was moved to case {target.display_number}",
        lines=[
            f"Your filing {_ref(entry)} ({entry.event.name}) in case {source.display_number} was filed in the wrong case.",
            f"The clerk's office re-docketed it in case {target.display_number} ({target.title}) as entry {_ref(moved)}, "
            f"and marked the original entered in error.",
        ],
    )
    return moved
