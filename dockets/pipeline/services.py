"""The work that follows a filing: stamp each document, then notify everyone the rules name.

This module is the pipeline's one namespace of services: stamping lives in
`stamping`, sending in `sending`, bounces and summaries in `delivery`, the header and
stamp text in `headers`; each is re-exported here.

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

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cases.models import Case, CaseWatch
from core.audit import record_event
from core.errors import UserFacingError
from filers.models import User

from ..catalogue_data import EventCategory
from ..models import DocketEntry, Document, Notice, NoticeRecipient
from .delivery import (  # noqa: F401 (the pipeline's services, in one namespace)
    bounced_addresses,
    mark_bounced,
    record_bounce,
    record_open,
    send_daily_summaries,
)
from .headers import header_for, stamp_text  # noqa: F401
from .recipients import recipients_for  # noqa: F401
from .sending import build_notice, mark_notice_failed, send_notice  # noqa: F401
from .stamping import (  # noqa: F401
    TRANSIENT_ERRORS,
    mark_document_failed,
    notices_ready,
    stamp_document,
    stamp_entry,
)

logger = logging.getLogger(__name__)


# -- the start ---------------------------------------------------------------------


def start_pipeline_in_filing(entry: DocketEntry) -> Notice:
    """Create the entry's pending NEF row in the filing's transaction; queue its stamping on commit.

    Registered in dockets.apps as the work that follows every filing
    (dockets.services.after_filing). The NEF row commits with the entry or not at
    all, so no filing is ever recorded without its notice. The stamping task is
    queued once the transaction commits, and takes the filing's alerts along
    (dockets.alerts.services.take_filed_event); if the broker is away then, the
    error is logged (the filing stands), the sweeper finds the pending rows and
    sweep_recent_events the alerts.
    """
    from ..alerts.services import take_filed_event
    from .tasks import stamp_entry_task

    notice = entry.notices.filter(kind=_notice_kind(entry)).first()
    if notice is None:
        notice = Notice.objects.create(entry=entry, kind=_notice_kind(entry))
    entry_id = entry.pk
    # The filing's alerts go with its pipeline: one task per filing, not two.
    event_id = take_filed_event(entry_id)

    def queue_stamping() -> None:  # named: Django logs a robust callback by its name
        stamp_entry_task.delay(entry_id, event_id)

    transaction.on_commit(queue_stamping, robust=True)
    return notice


def start_pipeline(*, entry_id: int) -> Notice | None:
    """Create the entry's NEF row (pending) if it has none, and queue stamping after commit.

    For an entry filed earlier (a re-run by hand or a test); a new filing gets both
    from `start_pipeline_in_filing`. The NEF row exists before any task runs, so a lost
    broker message is found again by `sweep_pending`.
    """
    from .tasks import stamp_entry_task

    with transaction.atomic():
        # NO KEY (as dockets.services.lock_case): a filing that refers to this entry
        # (a related entry) does not wait for the pipeline.
        entry = (
            DocketEntry.objects.select_for_update(no_key=True)
            .filter(pk=entry_id)
            .first()
        )
        if entry is None:
            return None
        notice = entry.notices.filter(kind=_notice_kind(entry)).first()
        if notice is None:
            notice = Notice.objects.create(entry=entry, kind=_notice_kind(entry))
        stamp_entry_task.delay_on_commit(entry_id)
    return notice


def _notice_kind(entry: DocketEntry) -> str:
    if entry.event.category == EventCategory.PETITION:
        return Notice.Kind.CASE_OPENING
    if entry.event.category == EventCategory.CLAIMS:
        return Notice.Kind.CLAIM
    return Notice.Kind.NEF


# -- sweeping and retrying ---------------------------------------------------------


def sweep_pending(*, older_than_seconds: int | None = None) -> dict[str, int]:
    """Re-queue documents and notices still pending after a while (the broker may have lost them).

    Pending documents re-queue their entry's stamping; pending notices whose documents
    are all stamped re-queue their sending. Returns the counts queued.
    """
    from .tasks import send_notice_task, stamp_entry_task

    if older_than_seconds is None:
        older_than_seconds = getattr(settings, "ECF_PIPELINE_SWEEP_AFTER_SECONDS", 180)
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
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
    *, actor: User, document_id: int | None = None, notice_id: int | None = None
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
        assert notice_id is not None  # noqa: S101 (exactly one of the two: checked above)
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


def add_case_to_account(*, user: User, case: Case) -> bool:
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
