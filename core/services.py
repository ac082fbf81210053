"""Writes owned by core: delivering stored messages (the mail outbox).

Every e-mail is first stored as an InboxMessage (core.mail.send_message) and sent by a
worker after the transaction commits. What a court needs from this outbox: a notice
must arrive (FRBP 9036: electronic service is complete on transmission, so a lost NEF
is a defect of service), while a second copy of the same notice costs nothing. So:

- **One send per claim.** A worker claims the row (pending -> sending) and commits the
  claim before it talks to the mail server. A second delivery of the same task (the
  broker re-delivers an unacknowledged message, the sweeper re-queues, two workers
  race) finds the claim and sends nothing.
- **A claim whose worker died is sent again, as the same message.** A worker killed
  after claiming cannot say whether the server accepted the message. Once the claim
  is older than twice the task's hard time limit (the worker is surely gone),
  `requeue_pending_messages` puts it back to pending and it is sent again with the
  same Message-ID, so mail systems and clients that de-duplicate by Message-ID show
  one copy. After MAX_ATTEMPTS claims it is marked failed, with the reason, for the
  clerk. Delivery is therefore at least once, and at most once per claim.
- A permanent refusal by the mail server marks the row failed with the reason;
  transient errors put it back to pending for the task's retries.
- A message the inbox page would withhold from its reader now
  (core.mail.withheld_reasons: an NEF whose entry was sealed after it was written)
  is not sent: it is marked withheld, with the reason.
"""

import contextlib
import datetime as dt
import functools
import logging
import smtplib
from collections.abc import Sequence
from email.utils import parseaddr

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .mail import withheld_reasons
from .mime import Framer
from .models import InboxMessage

logger = logging.getLogger(__name__)

TRANSIENT_MAIL_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)

# Claims of one message before it is given up as failed (the clerk sees the reason).
MAX_ATTEMPTS = 5


def claim_is_stale_after() -> dt.timedelta:
    """How old a claim must be before its worker is taken for dead.

    Twice the hard time limit of a task: by then the worker process running it has
    been killed by Celery, if it had not died already.
    """
    return dt.timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT)


@functools.lru_cache(maxsize=8)
def _domain_of(from_email: str) -> str:
    return parseaddr(from_email)[1].rpartition("@")[2] or "ecf"


def message_id_for(message: InboxMessage) -> str:
    """The message's Message-ID header: the same on every attempt to send it."""
    domain = _domain_of(settings.DEFAULT_FROM_EMAIL)
    return f"<ecf-message-{message.pk}.{message.created_at:%Y%m%d%H%M%S%f}@{domain}>"


def _claim(
    message_ids: list[int], written: Sequence[InboxMessage] = ()
) -> list[InboxMessage]:
    """Claim the pending messages among `message_ids` (pending -> sending, attempts + 1).

    One short transaction, committed before the mail server is called: the rows are
    locked, each is asked whether it may still reach its reader (withheld_reasons, at
    the last moment before sending: an SMTP retry can wait hours), the withheld ones
    are marked so, and the rest are claimed in one UPDATE. Returns the claimed
    messages, in the order of `message_ids`; a message not pending is left alone.

    `written`: the caller's own objects of these rows, as it just wrote them (a
    message's address, subject and bodies never change once written): only the
    rows' ids are read back under the lock, not their bodies.
    """
    known = {m.pk: m for m in written}
    with transaction.atomic():
        if known and all(pk in known for pk in message_ids):
            pending = InboxMessage.objects.select_for_update(of=("self",)).filter(
                pk__in=message_ids, status=InboxMessage.Status.PENDING
            )
            found = {
                pk: known[pk] for pk in pending.order_by().values_list("pk", flat=True)
            }
        else:
            found = {
                m.pk: m
                for m in InboxMessage.objects.select_for_update(of=("self",))
                .select_related("user")
                .filter(pk__in=message_ids, status=InboxMessage.Status.PENDING)
            }
        if not found:
            return []
        now = timezone.now()
        withheld = withheld_reasons(list(found.values()))
        for pk, why in withheld.items():
            InboxMessage.objects.filter(pk=pk).update(
                status=InboxMessage.Status.WITHHELD,
                error_message=why[:1000],
                updated_at=now,
            )
        claimed = [found[pk] for pk in dict.fromkeys(message_ids) if pk in found]
        claimed = [m for m in claimed if m.pk not in withheld]
        if claimed:
            InboxMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
                status=InboxMessage.Status.SENDING,
                attempts=F("attempts") + 1,
                claimed_at=now,
                updated_at=now,
            )
        for message in claimed:
            message.status = InboxMessage.Status.SENDING
            message.attempts += 1
            message.claimed_at = message.updated_at = now
    return claimed


def _email(
    message: InboxMessage, connection, framers: dict[str, Framer]
) -> EmailMultiAlternatives:
    """The e-mail of a stored message: its bytes built by a Framer shared by the
    batch's messages with the same subject (core.mime: the same bytes Django would
    build, at a fraction of the cost), or by Django where the Framer leaves it."""
    message_id = message_id_for(message)
    if message.body_html:
        framer = framers.get(message.subject)
        if framer is None:
            framer = framers[message.subject] = Framer(
                subject=message.subject, from_email=settings.DEFAULT_FROM_EMAIL
            )
        mail = framer.email(
            to_email=message.to_email,
            message_id=message_id,
            text=message.body_text,
            html=message.body_html,
            connection=connection,
        )
        if mail is not None:
            return mail
    mail = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers={"Message-ID": message_id},
        connection=connection,
    )
    if message.body_html:
        mail.attach_alternative(message.body_html, "text/html")
    return mail


def _send_claimed(
    message: InboxMessage,
    connection=None,
    *,
    record_sent: bool = True,
    framers: dict[str, Framer] | None = None,
) -> InboxMessage:
    """Send one claimed message and record the result (sent, failed, or back to pending).

    Transient SMTP errors put the row back to pending and propagate; a permanent
    refusal marks it failed with the reason. `record_sent=False`: the caller records
    the sent ones together (_record_sent). `framers`: the batch's (see _email).
    """
    mail = _email(message, connection, {} if framers is None else framers)

    def claimed():  # the claim (built only when used: most sends record it in bulk)
        return InboxMessage.objects.filter(
            pk=message.pk, status=InboxMessage.Status.SENDING
        )

    try:
        mail.send()
    except SoftTimeLimitExceeded:
        raise  # the server may have taken it: the claim stays for the stale-claim sweep
    except TRANSIENT_MAIL_ERRORS:
        claimed().update(status=InboxMessage.Status.PENDING, updated_at=timezone.now())
        raise
    except Exception as exc:  # a permanent refusal: record it for the clerk
        logger.warning("Message %s could not be sent: %s", message.pk, exc)
        claimed().update(
            status=InboxMessage.Status.FAILED,
            error_message=str(exc)[:1000],
            updated_at=timezone.now(),
        )
        message.refresh_from_db()
        return message
    now = timezone.now()
    if record_sent:
        claimed().update(status=InboxMessage.Status.SENT, sent_at=now, updated_at=now)
    message.status, message.sent_at, message.updated_at = (
        InboxMessage.Status.SENT,
        now,
        now,
    )
    return message


def deliver_message(*, message_id: int, connection=None) -> InboxMessage | None:
    """Send one stored message by e-mail; a second delivery of the same claim sends nothing.

    Claims the row (pending -> sending, attempts + 1) and commits the claim before
    the mail server is called; only a pending row is sent. Transient SMTP errors put
    the row back to pending and propagate for the task to retry; a permanent refusal
    marks it failed with the reason. `connection`: an open connection to the mail
    server to reuse, else one is opened for this message.
    """
    claimed = _claim([message_id])
    if not claimed:
        return InboxMessage.objects.filter(pk=message_id).first()
    return _send_claimed(claimed[0], connection)


def deliver_messages(
    *, message_ids: list[int], written: Sequence[InboxMessage] = ()
) -> None:
    """Send several stored messages over one connection to the mail server.

    `written`: the caller's own objects of these messages, as it wrote them (_claim
    then reads back only which are still pending, not their bodies).

    The pending ones are claimed together (one transaction, committed before the
    mail server is called: _claim), then each is sent on its own, with its own
    Message-ID; the sent ones are recorded together at the end, so a batch costs
    the same statements for 3 copies or 100. On a transient error (the
    server is away) the message it happened on, and every claimed one not yet sent
    (released to pending first, its claim not counted), is queued as its own task,
    with that task's retries; a message already claimed or sent is skipped.
    """
    from .tasks import deliver_message_task

    connection = get_connection()
    try:
        # Opened here, or the backend would open and close it around every message.
        connection.open()
    except TRANSIENT_MAIL_ERRORS:
        for pk in message_ids:
            deliver_message_task.delay(pk)
        return
    sent: list[int] = []
    framers: dict[str, Framer] = {}
    try:
        claimed = _claim(message_ids, written)
        for i, message in enumerate(claimed):
            try:
                _send_claimed(message, connection, record_sent=False, framers=framers)
                if message.status == InboxMessage.Status.SENT:
                    sent.append(message.pk)
            except TRANSIENT_MAIL_ERRORS:
                rest = [m.pk for m in claimed[i + 1 :]]
                InboxMessage.objects.filter(
                    pk__in=rest, status=InboxMessage.Status.SENDING
                ).update(
                    status=InboxMessage.Status.PENDING,
                    attempts=F("attempts") - 1,
                    updated_at=timezone.now(),
                )
                for pk in [message.pk, *rest]:
                    deliver_message_task.delay(pk)
                return
    finally:
        _record_sent(sent)
        # What was sent is recorded; a failed goodbye changes nothing.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()


def _record_sent(message_ids: list[int]) -> None:
    """Record a batch's sent messages in one UPDATE (however it ended).

    A worker killed before this leaves them claimed: the stale-claim sweep sends
    them again as the same messages (same Message-ID), as for any claim whose
    worker died.
    """
    if message_ids:
        now = timezone.now()
        InboxMessage.objects.filter(
            pk__in=message_ids, status=InboxMessage.Status.SENDING
        ).update(status=InboxMessage.Status.SENT, sent_at=now, updated_at=now)


def mark_message_failed(*, message_id: int, reason: str) -> None:
    InboxMessage.objects.filter(
        pk=message_id, status=InboxMessage.Status.PENDING
    ).update(status=InboxMessage.Status.FAILED, error_message=reason[:1000])


def requeue_pending_messages(*, older_than_seconds: int = 300) -> int:
    """Re-queue messages the broker lost, and send again those whose worker died mid-send.

    A message still pending after `older_than_seconds` is queued again. A claim older
    than `claim_is_stale_after()` goes back to pending and is queued (it will be sent
    with its first Message-ID), or, after MAX_ATTEMPTS claims, is marked failed.
    Returns how many messages were queued.
    """
    from .tasks import deliver_message_task

    now = timezone.now()
    cutoff = now - dt.timedelta(seconds=older_than_seconds)
    resend = []
    with transaction.atomic():
        stale = list(
            InboxMessage.objects.select_for_update(skip_locked=True)
            .filter(
                status=InboxMessage.Status.SENDING,
                claimed_at__lt=now - claim_is_stale_after(),
            )
            .only("pk", "attempts")[:5000]
        )
        for message in stale:
            if message.attempts >= MAX_ATTEMPTS:
                InboxMessage.objects.filter(pk=message.pk).update(
                    status=InboxMessage.Status.FAILED,
                    error_message=(
                        f"The worker sending this message stopped {message.attempts} "
                        "times before it could record the result; check the mail "
                        "server's log for its Message-ID before sending it by hand."
                    ),
                    updated_at=now,
                )
            else:
                resend.append(message.pk)
        InboxMessage.objects.filter(pk__in=resend).update(
            status=InboxMessage.Status.PENDING, updated_at=now
        )
    if stale:
        logger.warning(
            "Outbox: %s messages claimed by a worker that stopped; %s sent again",
            len(stale),
            len(resend),
        )
    ids = resend + list(
        InboxMessage.objects.filter(
            status=InboxMessage.Status.PENDING, updated_at__lt=cutoff
        ).values_list("pk", flat=True)[:5000]
    )
    for pk in ids:
        deliver_message_task.delay(pk)
    return len(ids)
