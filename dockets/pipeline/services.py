"""The work that follows a filing: stamp each document, then notify everyone the rules name.

Threat model and reliability rules:

- What was filed never changes. Stamping reads the original and writes a new file;
  the original and its SHA-512 stay as filed. A stamped copy, once recorded, never
  changes (a database trigger refuses it).
- Status rows are the source of truth, never the broker. Every document and notice
  has a status (pending, done, failed); a message the broker lost is found again by
  `sweep_pending`, and a task that runs twice changes nothing the second time:
  stamping records its result only while the document is still pending, and each
  recipient's e-mail is created in the same transaction that moves that recipient
  from pending to sent, under a row lock.
- Slow work (reading and writing PDFs, rendering) runs outside transactions; short
  transactions claim rows and record results.
- Notice links carry a per-recipient token that records when the document was
  opened and grants nothing: access is still decided by dockets.permissions.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from cases.models import Case, CaseWatch
from core import clock
from core.audit import record_event
from core.errors import StorageUnavailable, UserFacingError
from core.mail import send_message
from filers.models import Filer

from ..models import DocketEntry, Document, Notice, NoticeRecipient
from ..pdf.stamping import stamp_pdf
from .delivery import (  # noqa: F401 (the pipeline's services, in one namespace)
    bounced_addresses,
    mark_bounced,
    record_bounce,
    record_open,
    send_daily_summaries,
)
from .models import NoticeDelivery
from .recipients import recipients_for

logger = logging.getLogger(__name__)

# Errors worth retrying: the file store, the database or the mail server was away.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OSError, StorageUnavailable)


def _test_pause(where: str) -> None:
    """Pause mid-task when a test asks for it, so it can kill the worker right there.

    ECF_PIPELINE_TEST_PAUSE (seconds) and ECF_PIPELINE_TEST_PAUSE_AT ("stamp", "send"
    or empty for both) are test-only settings; both are off in production.
    """
    pause = getattr(settings, "ECF_PIPELINE_TEST_PAUSE", 0)
    at = getattr(settings, "ECF_PIPELINE_TEST_PAUSE_AT", "")
    if pause and at in ("", where):
        time.sleep(pause)


# -- stamping ----------------------------------------------------------------------


def header_for(document: Document, entry: DocketEntry):
    """Return `header(i, n)`: the CM/ECF header line of page i of n, in court time.

    cmecf.md 4.3: `Case 24-01234-LT7  Doc 17  Filed 11/26/26  Entered 11/26/26 14:03:12
    Desc Main Document  Page 3 of 12`; attachments carry their own description.
    """
    entered = clock.local(entry.entered_at)
    parts = [f"Case {entry.case.display_number}"]
    if entry.number:
        parts.append(f"Doc {entry.number}")
    parts.append(f"Filed {entry.filed_date:%m/%d/%y}")
    parts.append(f"Entered {entered:%m/%d/%y %H:%M:%S}")
    parts.append(f"Desc {document.description}")
    prefix = "  ".join(parts)

    def header(page: int, pages: int) -> str:
        return f"{prefix}  Page {page} of {pages}"

    return header


def stamp_text(document: Document, entry: DocketEntry | None = None) -> str:
    """The electronic document stamp shown in the NEF (cmecf.md 4.4), or "" before stamping.

    `[STAMP CASBStamp_ID=875559582 [Date=12/29/2024] [FileNumber=20552451-0] [<128 hex>]]`;
    the digest is the SHA-512 of the original, so anyone can check a copy against it.
    """
    if not document.stamp_id:
        return ""
    entry = entry or document.entry
    filed = entry.filed_date
    prefix = entry.case.court.stamp_prefix
    return (
        f"[STAMP {prefix}Stamp_ID={document.stamp_id} [Date={filed.month}/{filed.day}/{filed.year}] "
        f"[FileNumber={document.file_number}] [{document.sha512}]]"
    )


def _sha512_file(path: Path) -> str:
    digest = hashlib.sha512()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _local_copy(name: str, folder: Path) -> Path:
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


def stamp_document(*, document_id: int) -> Document | None:
    """Write the stamped copy of one document and record it; safe to run any number of times.

    Claims the row (attempts + 1) under a lock, stamps outside any transaction, then
    records the result only if the document is still pending; a second run's copy is
    discarded. A file that cannot be stamped sets FAILED with the reason. Transient
    errors (file store, OSError) propagate for the task to retry.
    """
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status != Document.Status.PENDING:
            return document
        if document.stamped_sha512:
            # Already stamped (the status was reset by hand): the copy never changes.
            document.status = Document.Status.DONE
            document.error_message = ""
            document.save(update_fields=["status", "error_message", "updated_at"])
            return document
        document.attempts += 1
        document.save(update_fields=["attempts", "updated_at"])
    document = Document.objects.select_related(
        "entry",
        "entry__case",
        "entry__case__court",
        "entry__case__office",
        "entry__case__judge",
    ).get(pk=document_id)
    entry = document.entry
    with tempfile.TemporaryDirectory(prefix="ecf-stamp-") as tmp:
        folder = Path(tmp)
        source = _local_copy(document.original.name, folder)
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
        _test_pause("stamp")
        stamped_sha512 = _sha512_file(target)
        with open(target, "rb") as fh:
            name = default_storage.save(
                f"stamped/{entry.case_id}/{secrets.token_hex(16)}.pdf", File(fh)
            )
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status != Document.Status.PENDING:
            # Another run recorded its copy first (or a clerk acted): keep theirs.
            default_storage.delete(name)
            return document
        document.stamped.name = name
        document.stamped_sha512 = stamped_sha512
        document.stamp_id = document.stamp_id or 1_000_000_000 + secrets.randbelow(
            9_000_000_000
        )
        document.status = Document.Status.DONE
        document.error_message = ""
        update = [
            "stamped",
            "stamped_sha512",
            "stamp_id",
            "status",
            "error_message",
            "updated_at",
        ]
        if not document.page_count:
            document.page_count = pages
            update.append("page_count")
        document.save(update_fields=update)
        record_event(
            actor=None,
            action="dockets.document.stamped",
            target=document,
            case_id=entry.case_id,
            after={"stamped_sha512": stamped_sha512, "stamp_id": document.stamp_id},
        )
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
    """Stamp every pending document of an entry; return the ids of its notices now ready to send."""
    for document_id in Document.objects.filter(
        entry_id=entry_id, status=Document.Status.PENDING
    ).values_list("pk", flat=True):
        stamp_document(document_id=document_id)
    return notices_ready(entry_id=entry_id)


def notices_ready(*, entry_id: int) -> list[int]:
    """Pending notices of an entry whose documents are all stamped."""
    if (
        Document.objects.filter(entry_id=entry_id)
        .exclude(status=Document.Status.DONE)
        .exists()
    ):
        return []
    return list(
        Notice.objects.filter(
            entry_id=entry_id, status=Notice.Status.PENDING
        ).values_list("pk", flat=True)
    )


# -- the hook ----------------------------------------------------------------------


def start_pipeline(*, entry_id: int) -> Notice | None:
    """Create the entry's NEF row (pending) if it has none, and queue stamping after commit.

    Called right after the filing commits. The NEF row exists before any task runs,
    so a lost broker message is found again by `sweep_pending`.
    """
    from .tasks import stamp_entry_task

    with transaction.atomic():
        entry = DocketEntry.objects.select_for_update().filter(pk=entry_id).first()
        if entry is None:
            return None
        notice = entry.notices.filter(kind=Notice.Kind.NEF).first()
        if notice is None:
            notice = Notice.objects.create(entry=entry, kind=_notice_kind(entry))
        stamp_entry_task.delay_on_commit(entry_id)
    return notice


def _notice_kind(entry: DocketEntry) -> str:
    if entry.event.category == "petition":
        return Notice.Kind.CASE_OPENING
    if entry.event.category == "claims":
        return Notice.Kind.CLAIM
    return Notice.Kind.NEF


# -- notices -----------------------------------------------------------------------


def _load_notice(notice_id: int) -> Notice:
    return Notice.objects.select_related(
        "entry",
        "entry__case",
        "entry__case__court",
        "entry__case__office",
        "entry__case__judge",
        "entry__event",
        "entry__filer",
    ).get(pk=notice_id)


def build_notice(*, notice_id: int) -> Notice:
    """Create the notice's recipient rows and its stored (filer's) copy, once.

    The recipients are fixed the first time this runs; a re-run leaves them alone,
    so nobody is added to or dropped from a notice that is half sent.
    """
    from .nef import nef_subject, render_nef

    notice = _load_notice(notice_id)
    entry = notice.entry
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice_id)
        if locked.subject:
            return locked
        plan = recipients_for(entry)
        bnc = entry.event.bnc
        rows = []
        for addressee in plan.electronic:
            for email in addressee.emails:
                rows.append(
                    NoticeRecipient(
                        notice=locked,
                        user_id=addressee.user_id,
                        name=addressee.name[:200],
                        on_behalf_of=", ".join(addressee.on_behalf_of)[:300],
                        email=email,
                        method=NoticeRecipient.Method.EMAIL,
                        status=NoticeRecipient.Status.PENDING,
                    )
                )
        if bnc:
            for paper in plan.paper:
                rows.append(
                    NoticeRecipient(
                        notice=locked,
                        name=paper.name[:200],
                        on_behalf_of=paper.source[:300],
                        address_lines=paper.address_lines,
                        method=NoticeRecipient.Method.PAPER,
                        status=NoticeRecipient.Status.PENDING,
                    )
                )
        NoticeRecipient.objects.bulk_create(rows, batch_size=1000)
        locked.extra = {
            **locked.extra,
            "not_mailed": [
                {"name": p.name, "address_lines": p.address_lines} for p in plan.paper
            ],
            "bnc": bnc,
        }
        rendered = render_nef(notice=locked, entry=entry, token=None)
        locked.subject = nef_subject(entry)[:300]
        locked.body_text = rendered.text
        locked.body_html = rendered.html
        locked.save(
            update_fields=["subject", "body_text", "body_html", "extra", "updated_at"]
        )
    return locked


def send_notice(*, notice_id: int) -> Notice:
    """Build the notice if needed, then e-mail every pending recipient exactly once.

    Recipients are claimed in batches under row locks (skip_locked, so two runs share
    the work and never both send one); each recipient's inbox message is created in
    the transaction that marks it sent. Filers who chose the daily summary are marked
    for it instead. For BNC events, the paper notices are generated and the
    certificate of notice docketed. The notice is DONE when nothing is left pending.
    """
    from .nef import MAGIC_PLACEHOLDER, TOKEN_PLACEHOLDER, render_nef

    Notice.objects.filter(pk=notice_id, status=Notice.Status.PENDING).update(
        attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    notice = build_notice(notice_id=notice_id)
    if notice.status != Notice.Status.PENDING:
        return notice
    notice = _load_notice(notice_id)
    entry = notice.entry
    template = render_nef(notice=notice, entry=entry, token=TOKEN_PLACEHOLDER)
    batch_size = getattr(settings, "ECF_NEF_BATCH_SIZE", 200)
    while True:
        with transaction.atomic():
            batch = list(
                NoticeRecipient.objects.select_for_update(
                    skip_locked=True, of=("self",)
                )
                .filter(
                    notice_id=notice_id,
                    method=NoticeRecipient.Method.EMAIL,
                    status=NoticeRecipient.Status.PENDING,
                )
                .select_related("user__filer")
                .order_by("id")[:batch_size]
            )
            if not batch:
                break
            now = timezone.now()
            deliveries = []
            for recipient in batch:  # each gets its own copy: links carry its token
                filer = recipient.user.filer_or_none if recipient.user_id else None
                if (
                    filer is not None
                    and filer.nef_preference == Filer.NefPreference.DAILY
                ):
                    recipient.status = NoticeRecipient.Status.DIGEST
                    continue
                message = send_message(
                    to_email=recipient.email,
                    subject=notice.subject,
                    text=template.text.replace(
                        TOKEN_PLACEHOLDER, recipient.token
                    ).replace(MAGIC_PLACEHOLDER, str(recipient.magic_num)),
                    html=template.html.replace(
                        TOKEN_PLACEHOLDER, recipient.token
                    ).replace(MAGIC_PLACEHOLDER, str(recipient.magic_num)),
                    user=recipient.user,
                    kind="nef",
                )
                deliveries.append(NoticeDelivery(recipient=recipient, message=message))
                recipient.status = NoticeRecipient.Status.SENT
                recipient.sent_at = now
            # Two plain UPDATEs: bulk_update's CASE expressions cost more than the e-mails.
            digest = [r.pk for r in batch if r.status == NoticeRecipient.Status.DIGEST]
            sent = [r.pk for r in batch if r.status == NoticeRecipient.Status.SENT]
            NoticeRecipient.objects.filter(pk__in=digest).update(
                status=NoticeRecipient.Status.DIGEST, updated_at=now
            )
            NoticeRecipient.objects.filter(pk__in=sent).update(
                status=NoticeRecipient.Status.SENT, sent_at=now, updated_at=now
            )
            NoticeDelivery.objects.bulk_create(deliveries)
        _test_pause("send")
    if (
        notice.extra.get("bnc")
        and NoticeRecipient.objects.filter(
            notice_id=notice_id, method=NoticeRecipient.Method.PAPER
        ).exists()
    ):
        from .paper import mail_paper_notices

        mail_paper_notices(notice_id=notice_id)
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice_id)
        left = NoticeRecipient.objects.filter(
            notice_id=notice_id, status=NoticeRecipient.Status.PENDING
        )
        if locked.status == Notice.Status.PENDING and not left.exists():
            locked.status = Notice.Status.DONE
            locked.sent_at = timezone.now()
            locked.error_message = ""
            locked.save(
                update_fields=["status", "sent_at", "error_message", "updated_at"]
            )
            record_event(
                actor=None,
                action="dockets.notice.sent",
                target=locked,
                case_id=entry.case_id,
                after={"recipients": locked.recipients.count()},
            )
    return locked


def mark_notice_failed(*, notice_id: int, reason: str) -> Notice | None:
    """Set a still-pending notice to FAILED with a reason the clerk can read."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.status != Notice.Status.PENDING:
            return notice
        notice.status = Notice.Status.FAILED
        notice.error_message = reason[:2000]
        notice.save(update_fields=["status", "error_message", "updated_at"])
        record_event(
            actor=None,
            action="dockets.notice.failed",
            target=notice,
            case_id=notice.entry.case_id,
            note=reason[:500],
        )
    return notice


# -- sweeping and retrying ---------------------------------------------------------


def sweep_pending(*, older_than_seconds: int | None = None) -> dict[str, int]:
    """Re-queue documents and notices still pending after a while (the broker may have lost them).

    Pending documents re-queue their entry's stamping; pending notices whose documents
    are all stamped re-queue their sending. Returns the counts queued.
    """
    from .tasks import send_notice_task, stamp_entry_task

    if older_than_seconds is None:
        older_than_seconds = getattr(settings, "ECF_PIPELINE_SWEEP_AFTER_SECONDS", 180)
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    entry_ids = list(
        Document.objects.filter(status=Document.Status.PENDING, updated_at__lte=cutoff)
        .values_list("entry_id", flat=True)
        .distinct()[:2000]
    )
    for entry_id in entry_ids:
        stamp_entry_task.delay(entry_id)
    unstamped = Document.objects.filter(entry_id=OuterRef("entry_id")).exclude(
        status=Document.Status.DONE
    )
    notice_ids = list(
        Notice.objects.filter(status=Notice.Status.PENDING, updated_at__lte=cutoff)
        .filter(~Exists(unstamped))
        .values_list("pk", flat=True)[:2000]
    )
    for notice_id in notice_ids:
        send_notice_task.delay(notice_id)
    if entry_ids or notice_ids:
        logger.info(
            "Sweeper re-queued %s entries and %s notices",
            len(entry_ids),
            len(notice_ids),
        )
    return {"entries": len(entry_ids), "notices": len(notice_ids)}


def retry_failed(
    *, actor, document_id: int | None = None, notice_id: int | None = None
) -> str:
    """Put a failed document or notice back to pending and queue it again (clerk action).

    Returns a sentence for the clerk. Raises UserFacingError if it is not failed.
    """
    from .tasks import send_notice_task, stamp_entry_task

    if (document_id is None) == (notice_id is None):
        raise UserFacingError("Choose one document or one notice to retry.")
    with transaction.atomic():
        if document_id is not None:
            document = (
                Document.objects.select_for_update().filter(pk=document_id).first()
            )
            if document is None or document.status != Document.Status.FAILED:
                raise UserFacingError("That document is not waiting for a retry.")
            before = document.error_message
            document.status = Document.Status.PENDING
            document.error_message = ""
            document.save(update_fields=["status", "error_message", "updated_at"])
            record_event(
                actor=actor,
                action="dockets.document.stamp_retried",
                target=document,
                case_id=document.entry.case_id,
                before={"error": before},
            )
            stamp_entry_task.delay_on_commit(document.entry_id)
            return "The document was queued for stamping again."
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.status != Notice.Status.FAILED:
            raise UserFacingError("That notice is not waiting for a retry.")
        before = notice.error_message
        notice.status = Notice.Status.PENDING
        notice.error_message = ""
        notice.save(update_fields=["status", "error_message", "updated_at"])
        NoticeRecipient.objects.filter(
            notice=notice, status=NoticeRecipient.Status.FAILED
        ).update(status=NoticeRecipient.Status.PENDING, error_message="")
        record_event(
            actor=actor,
            action="dockets.notice.retried",
            target=notice,
            case_id=notice.entry.case_id,
            before={"error": before},
        )
        if notices_ready(entry_id=notice.entry_id):
            send_notice_task.delay_on_commit(notice.pk)
        return "The notice was queued to be sent again."


# -- "add this case to my account" -------------------------------------------------


def add_case_to_account(*, user, case: Case) -> bool:
    """Add a case to a filer's account so they get its NEFs; returns False if already added."""
    if not user.is_authenticated or user.filer_or_none is None:
        raise UserFacingError(
            "Only filer accounts can add a case to receive its notices."
        )
    with transaction.atomic():
        _watch, created = CaseWatch.objects.get_or_create(
            case=case, user=user, kind=CaseWatch.Kind.ADDED
        )
        if created:
            record_event(
                actor=user,
                action="cases.case.added_to_account",
                target=case,
                case_id=case.pk,
            )
    return created


# -- verification ------------------------------------------------------------------


@dataclass
class Match:
    document: Document
    copy: str  # "original" or "stamped"


def documents_matching(digest: str) -> list[Match]:
    """Filed documents whose original or stamped copy has this SHA-512 digest."""
    digest = digest.strip().lower()
    found = Document.objects.filter(
        Q(sha512=digest) | Q(stamped_sha512=digest)
    ).select_related(
        "entry",
        "entry__case",
        "entry__case__court",
        "entry__case__office",
        "entry__case__judge",
    )
    return [
        Match(document=d, copy="original" if d.sha512 == digest else "stamped")
        for d in found
    ]


def failed_work():
    """Failed documents and notices, for the clerk's list (fixed number of queries)."""
    related = (
        "entry",
        "entry__case",
        "entry__case__office",
        "entry__case__judge",
        "entry__event",
    )
    documents = (
        Document.objects.filter(status=Document.Status.FAILED)
        .select_related(*related)
        .order_by("-updated_at")[:500]
    )
    notices = (
        Notice.objects.filter(status=Notice.Status.FAILED)
        .select_related(*related)
        .order_by("-updated_at")[:500]
    )
    return list(documents), list(notices)
