"""Sending a notice: fix its recipients once, then e-mail each of them exactly once.

Recipients are claimed in batches under row locks (skip_locked), and each recipient's
inbox message is created (one INSERT per batch, from one rendering of the notice: only
each copy's links differ) in the same transaction that moves the recipient from pending
to sent, so a task that runs twice, or two workers sharing a notice, never send one
recipient two copies.

An ordinary notice (fewer recipients than a batch) is built, sent and finished in one
transaction: its recipient rows are written already sent (or in the daily summary)
with their copies, under the notice's row lock, so no other run sees them pending.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, QuerySet
from django.utils import timezone

from core.audit import record_event
from core.bulk import insert_rows
from core.compiled import CompiledQuery
from core.mail import DELIVERY_BATCH, Copy, send_copies
from core.models import InboxMessage
from core.services import deliver_messages
from core.tasks import deliver_messages_task
from filers.models import Filer

from ..models import Document, Notice, NoticeRecipient
from .models import NoticeDelivery
from .nef import (
    MAGIC_PLACEHOLDER,
    TOKEN_PLACEHOLDER,
    Rendered,
    nef_subject,
    render_nef,
    stored_copy,
)
from .recipients import recipients_for

logger = logging.getLogger(__name__)


def _notice_query(notice_id: int, *, lock: bool = False) -> QuerySet[Notice]:
    """The notice with its entry, case, event and filer (and the filer's account) in one
    read; `lock`: the notice's row locked (FOR UPDATE OF the notice only)."""
    notices = Notice.objects.select_related(
        "entry",
        "entry__case",
        "entry__case__court",
        "entry__case__office",
        "entry__case__judge",
        "entry__event",
        "entry__filer",
        "entry__filer__filer",
    ).filter(pk=notice_id)
    if lock:
        notices = notices.select_for_update(of=("self",))
    return notices


def _documents_query(entry_id: int) -> QuerySet[Document]:
    """The entry's documents in filing order (the NEF lists them all)."""
    return Document.objects.filter(entry_id=entry_id).order_by("sequence", "id")


def _batch_query(notice_id: int, *, size: int) -> QuerySet[NoticeRecipient]:
    """The notice's next `size` e-mail recipients still pending, with their accounts,
    locked (FOR UPDATE OF the recipients only, SKIP LOCKED: another run of the
    notice takes the rows this one holds)."""
    return (
        NoticeRecipient.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            notice_id=notice_id,
            method=NoticeRecipient.Method.EMAIL,
            status=NoticeRecipient.Status.PENDING,
        )
        .select_related("user__filer")
        .order_by("id")[:size]
    )


# Compiled once per process (issue 21: building this SQL cost more than running it).
_NOTICE = CompiledQuery(_notice_query)
_LOCKED_NOTICE = CompiledQuery(partial(_notice_query, lock=True))
_DOCUMENTS = CompiledQuery(_documents_query)
_BATCHES: dict[int, CompiledQuery[NoticeRecipient]] = {}


def _next_batch(notice_id: int, size: int) -> list[NoticeRecipient]:
    """`_batch_query(notice_id, size=size)`'s rows (compiled once per batch size)."""
    compiled = _BATCHES.get(size)
    if compiled is None:
        compiled = _BATCHES[size] = CompiledQuery(partial(_batch_query, size=size))
    return compiled.all(notice_id)


def _load_notice(notice_id: int, *, lock: bool = False) -> Notice:
    """`_notice_query(notice_id, lock=lock)`'s one notice (Notice.DoesNotExist if none);
    the locked form only inside a transaction, as select_for_update()."""
    notice = (_LOCKED_NOTICE if lock else _NOTICE).first(notice_id)
    if notice is None:
        raise Notice.DoesNotExist(f"Notice {notice_id} does not exist.")
    return notice


def build_notice(*, notice_id: int) -> Notice:
    """Create the notice's recipient rows and its stored (filer's) copy, once.

    The recipients are fixed the first time this runs; a re-run leaves them alone,
    so nobody is added to or dropped from a notice that is half sent.
    """
    return _build(notice_id).notice


@dataclass
class _Built:
    notice: Notice  # the locked row, as it is now
    # What this run wrote (None when the notice was built before): the entry's
    # documents and the e-mail recipients, for the sender to render from.
    documents: list[Document] | None = None
    emailed: list[NoticeRecipient] | None = None
    recipients: int | None = None
    template: Rendered | None = None  # the recipients' rendering (with placeholders)
    # The copies written in the build's own transaction (send_first), to deliver
    # once it commits, and whether that transaction finished the notice.
    deliver_here: list[InboxMessage] = field(default_factory=list)
    finished: bool = False


def _sort(recipients: list[NoticeRecipient], now) -> list[NoticeRecipient]:
    """Set each e-mail recipient's new status (in memory): the daily summary for a
    filer who chose it, else sent now; return those to e-mail now."""
    to_send = []
    for recipient in recipients:
        filer = recipient.user.filer_or_none if recipient.user is not None else None
        if filer is not None and filer.nef_preference == Filer.NefPreference.DAILY:
            recipient.status = NoticeRecipient.Status.DIGEST
            continue
        recipient.status = NoticeRecipient.Status.SENT
        recipient.sent_at = now
        to_send.append(recipient)
    return to_send


def _write_copies(
    notice: Notice,
    template: Rendered,
    to_send: list[NoticeRecipient],
    *,
    queue: bool,
) -> list[InboxMessage]:
    """Each recipient's copy and its delivery row (one INSERT each for all), from one
    rendering: only the links (token, magic number) differ."""
    messages = send_copies(
        subject=notice.subject,
        text=template.text,
        html=template.html,
        kind="nef",
        copies=[
            Copy(
                to_email=r.email,
                user=r.user,
                fill={TOKEN_PLACEHOLDER: r.token, MAGIC_PLACEHOLDER: str(r.magic_num)},
            )
            for r in to_send
        ],
        queue=queue,
    )
    insert_rows(
        [
            NoticeDelivery(recipient=r, message=m)
            for r, m in zip(to_send, messages, strict=True)
        ]
    )
    return messages


def _build(notice_id: int, *, send_first: int = 0) -> _Built:
    """Build the notice once (build_notice). `send_first`: the batch size; a notice
    with fewer e-mail recipients, at most DELIVERY_BATCH of them to e-mail now, is
    also sent in this transaction (its recipients written already sent or in the
    daily summary, its copies written, the notice finished unless paper follows):
    the rows no other run can see before this commits need no second lock."""
    with transaction.atomic():
        locked = _load_notice(notice_id, lock=True)
        if locked.subject:
            return _Built(locked)
        entry = locked.entry
        plan = recipients_for(entry)
        bnc = entry.event.bnc
        rows = []
        for addressee in plan.electronic:
            for email in addressee.emails:
                rows.append(
                    NoticeRecipient(
                        notice=locked,
                        user=addressee.user,
                        name=addressee.name[:200],
                        on_behalf_of=", ".join(addressee.on_behalf_of)[:300],
                        email=email,
                        method=NoticeRecipient.Method.EMAIL,
                        status=NoticeRecipient.Status.PENDING,
                    )
                )
        emailed = list(rows)
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
        to_send: list[NoticeRecipient] | None = None
        if len(emailed) < send_first:
            now = timezone.now()
            to_send = _sort(emailed, now)
            if len(to_send) > DELIVERY_BATCH:  # for delivery tasks: the loop's
                to_send = None
                for recipient in emailed:
                    recipient.status = NoticeRecipient.Status.PENDING
                    recipient.sent_at = None
        insert_rows(rows)
        locked.extra = {
            **locked.extra,
            "not_mailed": [
                {"name": p.name, "address_lines": p.address_lines} for p in plan.paper
            ],
            "bnc": bnc,
        }
        documents = _DOCUMENTS.all(entry.pk)
        template = render_nef(
            notice=locked,
            entry=entry,
            token=TOKEN_PLACEHOLDER,
            documents=documents,
            recipients=emailed,
        )
        rendered = stored_copy(template)
        locked.subject = nef_subject(entry)[:300]
        locked.body_text = rendered.text
        locked.body_html = rendered.html
        fields = ["subject", "body_text", "body_html", "extra", "updated_at"]
        built = _Built(locked, documents, emailed, len(rows), template)
        if to_send is not None:
            messages = _write_copies(locked, template, to_send, queue=False)
            built.deliver_here = [
                m for m in messages if m.status == InboxMessage.Status.PENDING
            ]
            if not bnc:
                # Nothing is left pending (no paper follows): done in this UPDATE.
                locked.status, locked.sent_at = Notice.Status.DONE, now
                locked.error_message = ""
                fields += ["status", "sent_at", "error_message"]
                built.finished = True
        locked.save(update_fields=fields)
        if built.finished:
            _record_sent_notice(locked, len(rows))
    return built


def send_notice(*, notice_id: int) -> Notice:
    """Build the notice if needed, then e-mail every pending recipient exactly once.

    Recipients are claimed in batches under row locks (skip_locked, so two runs share
    the work and never both send one); each recipient's inbox message is created in
    the transaction that marks it sent. Filers who chose the daily summary are marked
    for it instead. For BNC events, the paper notices are generated and the
    certificate of notice docketed. The notice is DONE when nothing is left pending.

    An ordinary notice (one batch of at most core.mail.DELIVERY_BATCH copies) is
    written, sent and finished in the transaction that builds it (_build's
    send_first) and e-mailed here once that commits (core.services.deliver_messages:
    each copy claimed and sent once), so a filing's notice costs no task of its own;
    a bigger one is handed to delivery tasks, DELIVERY_BATCH copies each. A copy
    this run could not hand over is found by core.services.requeue_pending_messages.
    """
    Notice.objects.filter(pk=notice_id, status=Notice.Status.PENDING).update(
        attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    batch_size = getattr(settings, "ECF_NEF_BATCH_SIZE", 200)
    built = _build(notice_id, send_first=batch_size)
    notice = built.notice
    deliver_here = built.deliver_here
    finished = built.finished
    if notice.status != Notice.Status.PENDING and not deliver_here:
        return notice
    entry = notice.entry
    template = built.template or render_nef(
        notice=notice, entry=entry, token=TOKEN_PLACEHOLDER
    )
    first = True
    while not finished:
        with transaction.atomic():
            batch = _next_batch(notice_id, batch_size)
            if not batch:
                break
            now = timezone.now()
            to_send = _sort(batch, now)
            # The whole notice in this one batch, and small: sent by this run.
            here = first and len(batch) < batch_size and len(to_send) <= DELIVERY_BATCH
            messages = _write_copies(notice, template, to_send, queue=not here)
            if here:
                deliver_here = [
                    m for m in messages if m.status == InboxMessage.Status.PENDING
                ]
            # Two plain UPDATEs: bulk_update's CASE expressions cost more than the e-mails.
            digest = [r.pk for r in batch if r.status == NoticeRecipient.Status.DIGEST]
            sent = [r.pk for r in batch if r.status == NoticeRecipient.Status.SENT]
            if digest:
                NoticeRecipient.objects.filter(pk__in=digest).update(
                    status=NoticeRecipient.Status.DIGEST, updated_at=now
                )
            if sent:
                NoticeRecipient.objects.filter(pk__in=sent).update(
                    status=NoticeRecipient.Status.SENT, sent_at=now, updated_at=now
                )
            if here and not notice.extra.get("bnc"):
                # The whole notice was this batch and no paper follows: done in the
                # batch's own transaction, not one more.
                _finish(notice, built)
                finished = True
        first = False
        if len(batch) < batch_size:
            # The rest (if any) is locked by another run of this notice, which sends it.
            break
    if deliver_here:
        # Once committed (at once in a task, which runs outside any transaction).
        transaction.on_commit(lambda: _deliver_now(deliver_here))
    if (
        notice.extra.get("bnc")
        and NoticeRecipient.objects.filter(
            notice_id=notice_id, method=NoticeRecipient.Method.PAPER
        ).exists()
    ):
        from .paper import mail_paper_notices

        mail_paper_notices(notice_id=notice_id)
    if not finished:
        with transaction.atomic():
            _finish(notice, built)
    return notice


def _finish(notice: Notice, built: _Built) -> None:
    """Set the notice DONE if no recipient is left pending, and record it; inside a
    transaction. One conditional UPDATE, which waits for and re-checks a concurrent
    run's change of the row; if something is left, `notice` is read again."""
    now = timezone.now()
    left = NoticeRecipient.objects.filter(
        notice_id=notice.pk, status=NoticeRecipient.Status.PENDING
    )
    done = (
        Notice.objects.filter(pk=notice.pk, status=Notice.Status.PENDING)
        .exclude(Exists(left))
        .update(
            status=Notice.Status.DONE, sent_at=now, error_message="", updated_at=now
        )
    )
    if done:
        notice.status, notice.sent_at, notice.error_message = (
            Notice.Status.DONE,
            now,
            "",
        )
        notice.updated_at = now
        _record_sent_notice(
            notice,
            built.recipients
            if built.recipients is not None
            else notice.recipients.count(),
        )
    else:
        notice.refresh_from_db(fields=["status", "sent_at", "error_message"])


def _record_sent_notice(notice: Notice, recipients: int) -> None:
    record_event(
        actor=None,
        action="dockets.notice.sent",
        target=notice,
        case_id=notice.entry.case_id,
        after={"recipients": recipients},
    )


def _deliver_now(messages: list[InboxMessage]) -> None:
    """E-mail the copies this run wrote (committed); if that fails, a task takes them."""
    message_ids = [m.pk for m in messages]
    try:
        deliver_messages(message_ids=message_ids, written=messages)
    except Exception:
        logger.exception(
            "Delivering %s NEF copies failed here; handing them to a task",
            len(message_ids),
        )
        deliver_messages_task.delay(message_ids)


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
