"""Read the text of every filed document, page by page; recognise image-only pages.

Threat model and rules:

- What was filed never changes: extraction reads a temporary copy of the original
  and writes only `DocumentText` (the status row) and `DocumentPage` rows.
- Hostile files cost a bounded amount: pypdf reads each page inside a try (a page
  that cannot be read counts as an image page); character recognition runs OCRmyPDF
  (Debian's Tesseract) in a child process, at most ECF_OCR_MAX_PAGES pages per
  document, ECF_OCR_PAGE_TIMEOUT seconds and ECF_OCR_MAX_MEGAPIXELS per page, and
  the child is killed when the batch's time is up.
- Restricted documents (Official Form 121, pay advices, anything filed restricted)
  are never read: their row says so and no page text exists. Sealed and court-only
  documents are read, and every search filters them through dockets.permissions.
- The status row is the source of truth: a lost broker message is found again by
  `sweep_text`, and a run that is repeated starts the document over.
"""

from __future__ import annotations

import functools
import logging
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from pypdf import PdfReader

from core.audit import record_event
from core.compiled import CompiledQuery
from core.errors import StorageUnavailable

from ..models import Document, Visibility
from ..pipeline.stamping import local_copy
from .models import DocumentPage, DocumentText

logger = logging.getLogger(__name__)

# A page with fewer readable characters than this is treated as an image (a scan).
MIN_TEXT_CHARS = 20
# Pages recognised per OCRmyPDF run: progress is recorded after each batch.
OCR_BATCH = 5
# Characters kept per page (PostgreSQL's tsvector holds at most 1 MB).
MAX_PAGE_CHARS = 100_000
# A document with more pages than this (or with pages to recognise) shows its
# progress while it is read; a shorter one is read in well under a second, and its
# row is written once, when it is done.
PROGRESS_AFTER_PAGES = 20


class OcrFailed(Exception):
    """OCRmyPDF gave up on a batch (timeout, crash, unreadable image)."""


def text_queue() -> str:
    """The queue of text tasks: ECF_TEXT_QUEUE, else "<the instance's queue>-text"."""
    return settings.ECF_TEXT_QUEUE or f"{current_app.conf.task_default_queue}-text"


def never_indexed(document: Document) -> bool:
    """Restricted documents (Form 121 and the like) are never text-indexed.

    Restricted by the event's catalogue entry, by the filing, or by the document
    itself; a restriction that lapses on a date (a transcript) is not permanent.
    """
    entry = document.entry
    if entry.event.visibility == Visibility.RESTRICTED:
        return True
    if document.visibility == Visibility.RESTRICTED:
        return True
    return entry.visibility == Visibility.RESTRICTED and entry.visible_from is None


def queue_document_text(*, document_id: int) -> DocumentText:
    """Create the document's text row (pending) and queue its reading after commit."""
    from .tasks import extract_text_task

    with transaction.atomic():
        row, created = DocumentText.objects.get_or_create(document_id=document_id)
        if created or row.status == DocumentText.Status.PENDING:
            queue = text_queue()
            transaction.on_commit(
                lambda: extract_text_task.apply_async((document_id,), queue=queue)
            )
    return row


@functools.cache
def _queue_entry_text_sql() -> tuple[str, tuple]:
    """One INSERT ... SELECT of the text rows an entry's stamped documents lack, and
    the values of its columns other than the times and the document (each field's
    own default, as DocumentText(document_id=...) would have them)."""
    fields = [
        f
        for f in DocumentText._meta.concrete_fields
        if not f.primary_key
        and f.attname not in ("created_at", "updated_at", "document_id")
    ]
    text, document = DocumentText._meta.db_table, Document._meta.db_table
    columns = ", ".join(
        ["created_at", "updated_at", "document_id"] + [f.column for f in fields]
    )
    values = ", ".join(["%s"] * len(fields))
    sql = (
        # Table and column names from the models' own metadata; values are parameters.
        f"INSERT INTO {text} ({columns}) "  # noqa: S608
        f"SELECT %s, %s, d.id, {values} FROM {document} d "
        "WHERE d.entry_id = %s AND d.status = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {text} t WHERE t.document_id = d.id) "
        "ORDER BY d.id ON CONFLICT (document_id) DO NOTHING RETURNING document_id"
    )
    return sql, tuple(f.get_default() for f in fields)


def queue_entry_text(*, entry_id: int) -> int:
    """Queue the text of each stamped document of an entry that has no text row yet.

    The rows are created in one statement (INSERT ... SELECT: a document that
    already has one is left alone: its reading was queued when it was made) and
    each reading is queued after commit; a reading queued twice reads once
    (extract_document_text claims its row).
    """
    from .tasks import extract_text_task

    sql, defaults = _queue_entry_text_sql()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, now, *defaults, entry_id, Document.Status.DONE.value])
        ids = sorted(row[0] for row in cursor.fetchall())
    if not ids:
        return 0
    queue = text_queue()

    def queue_reading() -> None:  # named: Django logs a robust callback by its name
        for document_id in ids:
            extract_text_task.apply_async((document_id,), queue=queue)

    transaction.on_commit(queue_reading)
    return len(ids)


def _clean(text: str) -> str:
    text = (text or "").replace("\x00", "")
    return text[:MAX_PAGE_CHARS]


def _document_query(document_id: int) -> QuerySet[Document]:
    """The document with what its reading and its audit event's description need
    (its entry, the entry's event, case, office and judge), in one read."""
    return Document.objects.select_related(
        "entry",
        "entry__event",
        "entry__case",
        "entry__case__office",
        "entry__case__judge",
    ).filter(pk=document_id)


# Compiled once per process (issue 21: building this SQL cost more than running it).
_DOCUMENT = CompiledQuery(_document_query)


@functools.cache
def _claim_sql() -> str:
    """Claim an existing text row still waiting or running, in one statement (the
    row's lock is the UPDATE's own): attempts + 1, progress cleared, the new status;
    every column returned. Names from the model's metadata."""
    quote = connection.ops.quote_name
    meta = DocumentText._meta
    columns = {f.name: quote(f.column) for f in meta.concrete_fields}
    return (
        # Table and column names from the model's metadata; values are parameters.
        f"UPDATE {quote(meta.db_table)} SET {columns['status']} = %s, "  # noqa: S608
        f"{columns['attempts']} = {columns['attempts']} + 1, "
        f"{columns['pages_done']} = 0, {columns['ocr_pages']} = 0, "
        f"{columns['ocr_skipped']} = 0, {columns['error_message']} = '', "
        f"{columns['finished_at']} = %s, {columns['updated_at']} = %s "
        f"WHERE {columns['document']} = %s AND {columns['status']} IN (%s, %s) "
        "RETURNING *"
    )


def _claim(document_id: int) -> tuple[DocumentText, Document] | None:
    """Claim the document's text row (running, attempts + 1, pages cleared) and read
    the document once for the whole reading; None if there is nothing to read.

    The row is claimed by one conditional UPDATE; a document without a row yet (the
    sweep's) takes the longer way (_claim_new). A restricted document's row is set
    not indexed instead."""
    document = _DOCUMENT.first(document_id)
    if document is None:
        raise Document.DoesNotExist(f"Document {document_id} does not exist.")
    indexed = not never_indexed(document)
    status = DocumentText.Status.RUNNING if indexed else DocumentText.Status.NOT_INDEXED
    now = timezone.now()
    rows = list(
        DocumentText.objects.raw(
            _claim_sql(),
            [
                status,
                None if indexed else now,
                now,
                document_id,
                DocumentText.Status.PENDING,
                DocumentText.Status.RUNNING,
            ],
        )
    )
    if not rows:
        return _claim_new(document_id, document)
    row = rows[0]
    if row.attempts > 1:
        # Pages exist only once a reading has been claimed before (a re-run).
        DocumentPage.objects.filter(document_id=document_id).delete()
    return (row, document) if indexed else None


def _claim_new(
    document_id: int, document: Document
) -> tuple[DocumentText, Document] | None:
    """_claim for a document with no text row (it is made here), or whose row is not
    waiting (None)."""
    with transaction.atomic():
        row = (
            DocumentText.objects.select_for_update()
            .filter(document_id=document_id)
            .first()
        )
        if row is None:
            row = DocumentText.objects.create(document_id=document_id)
            row = DocumentText.objects.select_for_update().get(pk=row.pk)
        if row.status not in (DocumentText.Status.PENDING, DocumentText.Status.RUNNING):
            return None
        if row.attempts:
            DocumentPage.objects.filter(document_id=document_id).delete()
        row.attempts += 1
        row.pages_done = row.ocr_pages = row.ocr_skipped = 0
        row.error_message = ""
        if never_indexed(document):
            row.status = DocumentText.Status.NOT_INDEXED
            row.finished_at = timezone.now()
            row.save()
            return None
        row.status = DocumentText.Status.RUNNING
        row.save()
    return row, document


@functools.cache
def _store_pages_sql() -> str:
    """One INSERT of a document's pages with their search vectors (each column an
    array, unnest()ed: the same SQL for 1 page or 300); the vector made as the row is
    written, not by a second UPDATE that writes every row (and its index entries)
    again. Names from the model's metadata."""
    meta = DocumentPage._meta
    columns = {f.name: f.column for f in meta.concrete_fields}

    def column(name: str) -> str:
        return connection.ops.quote_name(columns[name])

    names = ["document", "entry", "case", "page", "filed_at", "text", "ocr"]
    types = ["bigint", "bigint", "bigint", "integer", "timestamptz", "text", "boolean"]
    arrays = ", ".join(f"%s::{t}[]" for t in types)
    return (
        # Table and column names from the model's metadata; values are parameters.
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} "  # noqa: S608
        f"({', '.join(column(n) for n in names)}, {column('search_vector')}) "
        f"SELECT d, e, c, p, f, t, o, to_tsvector('english'::regconfig, COALESCE(t, '')) "
        f"FROM unnest({arrays}) AS u(d, e, c, p, f, t, o)"
    )


def _store_pages(document: Document, pages: dict[int, str], *, ocr: bool) -> None:
    if not pages:
        return
    numbers = sorted(pages)
    entry = document.entry
    with connection.cursor() as cursor:
        cursor.execute(
            _store_pages_sql(),
            [
                [document.pk] * len(numbers),
                [document.entry_id] * len(numbers),
                [entry.case_id] * len(numbers),
                numbers,
                [entry.filed_at] * len(numbers),
                [_clean(pages[n]) for n in numbers],
                [ocr] * len(numbers),
            ],
        )


def _progress(row: DocumentText, **changes) -> None:
    for field, value in changes.items():
        setattr(row, field, value)
    row.save(update_fields=[*changes, "updated_at"])


def ocr_pages(source: Path, numbers: list[int], folder: Path) -> dict[int, str]:
    """Recognise the text of the given pages (1-based) with OCRmyPDF in a child process."""
    sidecar = folder / "sidecar.txt"
    timeout = settings.ECF_OCR_PAGE_TIMEOUT
    command = [
        sys.executable,
        "-m",
        "ocrmypdf",
        "--quiet",
        "--force-ocr",
        "--output-type",
        "none",
        "--sidecar",
        str(sidecar),
        "--pages",
        ",".join(str(n) for n in numbers),
        "--tesseract-timeout",
        str(timeout),
        "--skip-big",
        str(settings.ECF_OCR_MAX_MEGAPIXELS),
        "--jobs",
        "1",
        "--language",
        "eng",
        str(source),
        "-",
    ]
    try:
        done = subprocess.run(  # noqa: S603 (fixed argv, no shell)
            command,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout * len(numbers) + 60,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrFailed(
            f"Character recognition took longer than {exc.timeout:.0f} s."
        ) from exc
    if done.returncode != 0 or not sidecar.exists():
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise OcrFailed(
            f"Character recognition failed ({done.returncode}): {tail[0][:300]}"
        )
    chunks = sidecar.read_text("utf-8", "replace").split("\f")
    wanted = set(numbers)
    return {
        number: chunk.strip()
        for number, chunk in enumerate(chunks, start=1)
        if number in wanted
    }


def extract_document_text(*, document_id: int) -> DocumentText | None:
    """Read one document's text into DocumentPage rows; safe to run any number of times.

    pypdf reads every page; pages with almost no text are recognised in batches
    (progress saved after each). A file pypdf cannot open at all fails with the
    reason; an OCR batch that fails leaves those pages empty and says so.
    Transient errors (file store) propagate for the task to retry.
    """
    claimed = _claim(document_id)
    if claimed is None:
        return DocumentText.objects.filter(document_id=document_id).first()
    row, document = claimed
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ecf-text-") as tmp:
        folder = Path(tmp)
        source = local_copy(document.original.name, folder)
        try:
            reader = PdfReader(source)
            count = len(reader.pages)
        except StorageUnavailable:
            raise
        except Exception as exc:  # the file itself: pypdf's parse errors
            return _finish(
                row, document, failed=f"The PDF could not be read: {exc}"[:2000]
            )
        row.pages_total = count
        if count > PROGRESS_AFTER_PAGES:
            _progress(row, pages_total=count)
        text_pages: dict[int, str] = {}
        image_pages: list[int] = []
        for number in range(1, count + 1):
            try:
                text = reader.pages[number - 1].extract_text() or ""
            except Exception:  # one unreadable page: try to recognise it instead
                text = ""
            if len("".join(text.split())) >= MIN_TEXT_CHARS:
                text_pages[number] = text
            else:
                image_pages.append(number)
        _store_pages(document, text_pages, ocr=False)
        limit = settings.ECF_OCR_MAX_PAGES
        to_read, skipped = image_pages[:limit], image_pages[limit:]
        if to_read or count > PROGRESS_AFTER_PAGES:
            _progress(row, pages_total=count, pages_done=len(text_pages))
        else:
            row.pages_done = len(text_pages)
        if skipped:
            problems.append(
                f"{len(skipped)} image pages beyond the limit of {limit} were not recognised."
            )
        for start in range(0, len(to_read), OCR_BATCH):
            batch = to_read[start : start + OCR_BATCH]
            try:
                recognised = ocr_pages(source, batch, folder)
            except OcrFailed as exc:
                problems.append(f"Pages {batch[0]}-{batch[-1]}: {exc}")
                recognised = {}
            _store_pages(document, {n: recognised.get(n, "") for n in batch}, ocr=True)
            _progress(
                row,
                pages_done=row.pages_done + len(batch),
                ocr_pages=row.ocr_pages + len(recognised),
            )
        row.ocr_skipped = len(skipped)
        _store_pages(document, dict.fromkeys(skipped, ""), ocr=False)
    return _finish(row, document, note=" ".join(problems))


def _finish(
    row: DocumentText, document: Document, *, failed: str = "", note: str = ""
) -> DocumentText:
    """Save the outcome; text that was read is announced (audit event, so alerts).

    The audit event `dockets.document.text_extracted` feeds the audit hooks
    (dockets/apps.py); this task takes its alerts (dockets.alerts.services.take_event)
    and, once it commits, matches saved searches against the new text itself
    (dispatch_now), so a document's text costs no alerts task of its own. If this
    worker stops in between, dockets.alerts' sweep dispatches the event again.
    """
    row.status = DocumentText.Status.FAILED if failed else DocumentText.Status.DONE
    row.error_message = failed or note[:2000]
    row.finished_at = timezone.now()
    if not failed:
        row.pages_done = row.pages_total
    from ..alerts.services import dispatch_now, take_event

    inline = False
    with transaction.atomic():
        row.save()
        if not failed:
            event = record_event(
                actor=None,
                action="dockets.document.text_extracted",
                target=document,
                case_id=document.entry.case_id,
                after={"pages": row.pages_total, "ocr_pages": row.ocr_pages},
            )
            # Its alerts (saved searches matched against the new text) are
            # dispatched here once it commits, not by one more task.
            inline = take_event(event.pk)
    if inline:
        dispatch_now(event_id=event.pk)
    logger.info("Text of document %s: %s", row.document_id, row.status)
    return row


def mark_text_failed(*, document_id: int, reason: str) -> None:
    DocumentText.objects.filter(
        document_id=document_id,
        status__in=[DocumentText.Status.PENDING, DocumentText.Status.RUNNING],
    ).update(
        status=DocumentText.Status.FAILED,
        error_message=reason[:2000],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def sweep_text(*, older_than_seconds: int = 600, batch: int = 500) -> dict[str, int]:
    """Queue again text rows the broker lost, and stamped documents with no row yet."""
    from .tasks import extract_text_task

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    queue = text_queue()
    stale = list(
        DocumentText.objects.filter(
            status__in=[DocumentText.Status.PENDING, DocumentText.Status.RUNNING],
            updated_at__lt=cutoff,
        ).values_list("document_id", flat=True)[:batch]
    )
    for document_id in stale:
        extract_text_task.apply_async((document_id,), queue=queue)
    missing = list(
        Document.objects.filter(status=Document.Status.DONE, updated_at__lt=cutoff)
        .exclude(Exists(DocumentText.objects.filter(document=OuterRef("pk"))))
        .values_list("pk", flat=True)[:batch]
    )
    for document_id in missing:
        queue_document_text(document_id=document_id)
    return {"requeued": len(stale), "new": len(missing)}


def document_text(document: Document) -> tuple[DocumentText | None, list[DocumentPage]]:
    """The status row and the pages of one document (the caller checked access)."""
    row = DocumentText.objects.filter(document=document).first()
    if row is None or row.status != DocumentText.Status.DONE:
        return row, []
    return row, list(DocumentPage.objects.filter(document=document).order_by("page"))


def on_audit_event(event) -> None:
    """Audit hook (dockets/apps.py): a document or entry made restricted loses its stored text."""
    if event._state.db != "default" or event.action not in (
        "dockets.entry.visibility_changed",
        "dockets.document.visibility_changed",
    ):
        return
    if event.after.get("visibility") != Visibility.RESTRICTED:
        return
    if event.target_type == "dockets.Document":
        documents = [int(event.target_id)]
    else:
        documents = list(
            Document.objects.filter(entry_id=event.target_id).values_list(
                "pk", flat=True
            )
        )
    for document_id in documents:
        forget_restricted_text(document_id=document_id)


def forget_restricted_text(*, document_id: int) -> bool:
    """Delete the stored text of a document that is now restricted; True if it was."""
    document = Document.objects.select_related("entry", "entry__event").get(
        pk=document_id
    )
    if not never_indexed(document):
        return False
    DocumentPage.objects.filter(document_id=document_id).delete()
    DocumentText.objects.filter(document_id=document_id).update(
        status=DocumentText.Status.NOT_INDEXED,
        pages_done=0,
        ocr_pages=0,
        updated_at=timezone.now(),
    )
    return True
