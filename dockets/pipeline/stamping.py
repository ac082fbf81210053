"""Stamping: write each filed document's stamped copy and record it, once.

What was filed never changes: stamping reads the original and writes a new file; the
original and its SHA-512 stay as filed, and a recorded stamped copy never changes (a
database trigger refuses it). The slow part (reading and writing the PDF) runs outside
any transaction; short transactions claim the row and record the result only while the
document is still pending, so a second run changes nothing.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, F, QuerySet
from django.utils import timezone

from core.audit import record_event
from core.compiled import CompiledQuery
from core.errors import StorageUnavailable

from ..models import Document, Notice
from ..pdf.stamping import stamp_pdf
from .headers import header_for

logger = logging.getLogger(__name__)

# Errors worth retrying: the file store, the database or the mail server was away.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OSError, StorageUnavailable)


def _sha512_file(path: Path) -> str:
    digest = hashlib.sha512()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def local_copy(name: str, folder: Path) -> Path:
    """Copy a stored file to a local temporary path (the store may be S3)."""
    target = folder / "original.pdf"
    try:
        with default_storage.open(name, "rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    except FileNotFoundError as exc:
        raise StorageUnavailable(
            f"The original file {name} could not be read."
        ) from exc
    return target


_DOCUMENT_RELATED = (
    "entry",
    "entry__case",
    "entry__case__court",
    "entry__case__office",
    "entry__case__judge",
    "entry__event",
)


def _locked_document_query(document_id: int) -> QuerySet[Document]:
    """The document (its row locked, FOR UPDATE OF the document only) with its entry,
    case and event: the stamp, the file's folder and the audit event's description."""
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related(*_DOCUMENT_RELATED)
        .filter(pk=document_id)
    )


def _locked_pending_query(entry_id: int) -> QuerySet[Document]:
    """An entry's pending documents (rows locked, FOR UPDATE OF the documents only),
    each with its entry, case and event, in filing order."""
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related(*_DOCUMENT_RELATED)
        .filter(entry_id=entry_id, status=Document.Status.PENDING)
        .order_by("sequence", "id")
    )


# Compiled once per process (issue 21: building this SQL cost more than running it).
_LOCKED_DOCUMENT = CompiledQuery(_locked_document_query)
_LOCKED_PENDING = CompiledQuery(_locked_pending_query)


def stamp_document(*, document_id: int) -> Document | None:
    """Write the stamped copy of one document and record it; safe to run any number of times.

    Claims the row (attempts + 1) under a lock, stamps outside any transaction, then
    records the result only if the document is still pending (one conditional
    UPDATE, which waits for and re-checks any concurrent change); a second run's copy
    is discarded. A file that cannot be stamped sets FAILED with the reason.
    Transient errors (file store, OSError) propagate for the task to retry.
    """
    with transaction.atomic():
        # The document, its entry, case and event in one read: the stamp, the file's
        # folder and the audit event's description all come from it.
        claimed = _claim([_LOCKED_DOCUMENT.first(document_id)])
    if not claimed:
        return Document.objects.filter(pk=document_id).first()
    return _stamp_claimed(claimed[0])


def _claim(documents: Sequence[Document | None]) -> list[Document]:
    """Claim the locked, pending `documents` to stamp (attempts + 1, one UPDATE); inside
    the transaction that locked them. A document stamped before whose status was reset
    by hand is set DONE again (its copy never changes) and not claimed."""
    claimed = []
    for document in documents:
        if document is None or document.status != Document.Status.PENDING:
            continue
        if document.stamped_sha512:
            document.status = Document.Status.DONE
            document.error_message = ""
            document.save(update_fields=["status", "error_message", "updated_at"])
            continue
        claimed.append(document)
    if claimed:
        now = timezone.now()
        Document.objects.filter(pk__in=[d.pk for d in claimed]).update(
            attempts=F("attempts") + 1, updated_at=now
        )
        for document in claimed:
            document.attempts += 1
            document.updated_at = now
    return claimed


def _stamp_claimed(document: Document) -> Document | None:
    """Stamp a claimed document outside any transaction and record the copy if the
    document is still pending (stamp_document)."""
    document_id = document.pk
    entry = document.entry
    with tempfile.TemporaryDirectory(prefix="ecf-stamp-") as tmp:
        folder = Path(tmp)
        source = local_copy(document.original.name, folder)
        target = folder / "stamped.pdf"
        try:
            pages = stamp_pdf(source, target, header_for(document, entry))
        except TRANSIENT_ERRORS:
            raise
        except Exception as exc:  # pypdf's parse errors and ValueError: the file itself
            logger.warning("Document %s could not be stamped: %s", document_id, exc)
            return mark_document_failed(
                document_id=document_id,
                reason=f"The PDF could not be stamped: {exc}",
            )
        stamped_sha512 = _sha512_file(target)
        with open(target, "rb") as fh:
            name = default_storage.save(
                f"stamped/{entry.case_id}/{secrets.token_hex(16)}.pdf", File(fh)
            )
    now = timezone.now()
    document.stamped.name = name
    document.stamped_sha512 = stamped_sha512
    document.stamp_id = document.stamp_id or 1_000_000_000 + secrets.randbelow(
        9_000_000_000
    )
    document.status = Document.Status.DONE
    document.error_message = ""
    document.updated_at = now
    document.page_count = document.page_count or pages
    with transaction.atomic():
        recorded = Document.objects.filter(
            pk=document_id, status=Document.Status.PENDING
        ).update(
            stamped=name,
            stamped_sha512=stamped_sha512,
            stamp_id=document.stamp_id,
            status=Document.Status.DONE,
            error_message="",
            page_count=document.page_count,
            updated_at=now,
        )
        if recorded:
            record_event(
                actor=None,
                action="dockets.document.stamped",
                target=document,
                case_id=entry.case_id,
                after={
                    "stamped_sha512": stamped_sha512,
                    "stamp_id": document.stamp_id,
                },
            )
    if not recorded:
        # Another run recorded its copy first (or a clerk acted): keep theirs.
        default_storage.delete(name)
        return Document.objects.filter(pk=document_id).first()
    logger.info("Stamped document %s", document_id)
    return document


def mark_document_failed(*, document_id: int, reason: str) -> Document | None:
    """Set a still-pending document to FAILED with a reason the clerk can read."""
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status != Document.Status.PENDING:
            return document
        document.status = Document.Status.FAILED
        document.error_message = reason[:2000]
        document.save(update_fields=["status", "error_message", "updated_at"])
        record_event(
            actor=None,
            action="dockets.document.stamp_failed",
            target=document,
            case_id=document.entry.case_id,
            note=reason[:500],
        )
    return document


def stamp_entry(*, entry_id: int) -> list[int]:
    """Stamp every pending document of an entry; return the ids of its notices now ready to send.

    The pending documents are read and claimed together (one locked read, one
    UPDATE: stamp_document's claim, for all of them), then each is stamped and
    recorded on its own, as stamp_document does, so a document already recorded
    stays recorded whatever happens to the next.
    """
    with transaction.atomic():
        claimed = _claim(_LOCKED_PENDING.all(entry_id))
    for document in claimed:
        _stamp_claimed(document)
    return notices_ready(entry_id=entry_id)


def _ready_query(entry_id: int) -> QuerySet[Notice]:
    """The entry's pending notices whose documents are all stamped (ids only)."""
    unstamped = Document.objects.filter(entry_id=entry_id).exclude(
        status=Document.Status.DONE
    )
    return (
        Notice.objects.filter(entry_id=entry_id, status=Notice.Status.PENDING)
        .exclude(Exists(unstamped))
        .only("pk")
        .order_by("id")
    )


_READY = CompiledQuery(_ready_query)


def notices_ready(*, entry_id: int) -> list[int]:
    """Pending notices of an entry whose documents are all stamped (one query)."""
    return [notice.pk for notice in _READY.all(entry_id)]
