"""The mail outbox sends each claim once: the claim is committed before the mail server
is called, and a claim whose worker died is sent again as the same message.

Against real PostgreSQL with committed rows (transactional tests): what another
connection sees while the mail server is being called is the point.
"""

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

from core import services
from core.models import InboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


class WorkerDied(BaseException):
    """Stands for SIGKILL in the middle of the SMTP conversation: nothing after it runs."""


class WatchingBackend(BaseEmailBackend):
    """A mail server that records what it was given and what the database showed then.

    `during_send` (set by a test) runs in the middle of each send.
    """

    sent: list = []
    during_send = None

    def send_messages(self, messages):
        for message in messages:
            if WatchingBackend.during_send is not None:
                WatchingBackend.during_send(message)
            WatchingBackend.sent.append(message)
        return len(messages)


@pytest.fixture
def server(settings):
    settings.EMAIL_BACKEND = f"{WatchingBackend.__module__}.WatchingBackend"
    WatchingBackend.sent = []
    WatchingBackend.during_send = None
    yield WatchingBackend
    WatchingBackend.during_send = None


def _stored(to="trustee@example.com") -> InboxMessage:
    return InboxMessage.objects.create(
        to_email=to,
        subject="NEF: 24-01234-LT7 Doc 17",
        body_text="Notice of Electronic Filing",
        kind="nef",
    )


def _seen_elsewhere(message_id: int) -> str:
    """The row's status as another database connection sees it (committed state only)."""
    from django.db import connections

    seen = {}

    def read():
        try:
            seen["status"] = InboxMessage.objects.get(pk=message_id).status
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(30)
    return seen["status"]


def test_the_claim_is_committed_before_the_mail_server_is_called(server):
    message = _stored()
    during: dict[str, str] = {}
    server.during_send = lambda m: during.setdefault(
        "status", _seen_elsewhere(message.pk)
    )
    services.deliver_message(message_id=message.pk)
    assert during["status"] == InboxMessage.Status.SENDING
    message.refresh_from_db()
    assert message.status == InboxMessage.Status.SENT
    assert message.attempts == 1
    assert len(server.sent) == 1
    assert server.sent[0].extra_headers["Message-ID"] == services.message_id_for(
        message
    )


def test_a_worker_killed_mid_send_is_not_followed_by_a_second_copy_from_a_redelivery(
    server,
):
    """The broker re-delivers the task of a worker killed mid-send: the claim stands, so the
    second delivery sends nothing; the stale-claim sweep later sends it once more, as the
    same message (same Message-ID), and only once the claim is surely orphaned."""
    message = _stored()

    def die(m):
        raise WorkerDied

    server.during_send = die
    with pytest.raises(WorkerDied):
        services.deliver_message(message_id=message.pk)
    server.during_send = None
    assert _seen_elsewhere(message.pk) == InboxMessage.Status.SENDING

    services.deliver_message(message_id=message.pk)  # the re-delivered task
    assert server.sent == []
    assert services.requeue_pending_messages() == 0  # a fresh claim is left alone
    assert InboxMessage.objects.get(pk=message.pk).status == "sending"

    later = dt.datetime.now(dt.UTC) + services.claim_is_stale_after()
    with time_machine.travel(later + dt.timedelta(seconds=5)):
        assert services.requeue_pending_messages() == 1
    message.refresh_from_db()
    assert message.status == InboxMessage.Status.PENDING
    services.deliver_message(message_id=message.pk)  # the re-queued task
    message.refresh_from_db()
    assert message.status == InboxMessage.Status.SENT
    assert message.attempts == 2
    assert len(server.sent) == 1
    assert server.sent[0].extra_headers["Message-ID"] == services.message_id_for(
        message
    )


def test_two_deliveries_at_once_send_one_copy(server):
    """Two workers given the same message at the same moment: one claims it, the other
    finds the claim and sends nothing, however long the first one's SMTP call takes."""
    message = _stored()
    second_done = threading.Event()

    def deliver_again_meanwhile(m):
        # While this worker is mid-send, another worker delivers the same message.
        def other():
            try:
                services.deliver_message(message_id=message.pk)
            finally:
                connection.close()
                second_done.set()

        threading.Thread(target=other).start()
        assert second_done.wait(30)

    server.during_send = deliver_again_meanwhile
    services.deliver_message(message_id=message.pk)
    assert len(server.sent) == 1
    assert InboxMessage.objects.get(pk=message.pk).status == InboxMessage.Status.SENT


def test_a_message_whose_workers_keep_dying_is_failed_for_the_clerk(server):
    message = _stored()
    InboxMessage.objects.filter(pk=message.pk).update(
        status=InboxMessage.Status.SENDING,
        attempts=services.MAX_ATTEMPTS,
        claimed_at=dt.datetime.now(dt.UTC) - 2 * services.claim_is_stale_after(),
    )
    assert services.requeue_pending_messages() == 0
    message.refresh_from_db()
    assert message.status == InboxMessage.Status.FAILED
    assert "Message-ID" in message.error_message
    assert server.sent == []
    assert mail.outbox == []


class CountingConnections(WatchingBackend):
    opened = 0

    def open(self):
        CountingConnections.opened += 1
        return True


def test_a_batch_is_sent_over_one_connection_and_each_message_once(settings, server):
    """deliver_messages: one connection for the batch; each pending message claimed and
    sent once with its own Message-ID; a message already sent is not sent again."""
    settings.EMAIL_BACKEND = f"{CountingConnections.__module__}.CountingConnections"
    CountingConnections.opened = 0
    first, done, last = _stored("a@example.com"), _stored("b@example.com"), _stored()
    InboxMessage.objects.filter(pk=done.pk).update(status=InboxMessage.Status.SENT)
    services.deliver_messages(message_ids=[first.pk, done.pk, last.pk])
    assert CountingConnections.opened == 1
    assert [m.to for m in server.sent] == [["a@example.com"], ["trustee@example.com"]]
    assert len({m.extra_headers["Message-ID"] for m in server.sent}) == 2
    for message in (first, last):
        message.refresh_from_db()
        assert message.status == InboxMessage.Status.SENT
        assert message.attempts == 1


def test_a_transient_error_mid_batch_hands_the_rest_to_their_own_retries(
    server, eager_tasks
):
    """The mail server drops the connection on the second message: the first stays sent,
    the second and third are each sent by their own task (with its retries), once."""
    messages = [_stored(f"m{i}@example.com") for i in range(3)]
    calls = []

    def drop_once(message):
        calls.append(message.to[0])
        if len(calls) == 2:
            raise ConnectionError("connection reset by the mail server")

    server.during_send = drop_once
    services.deliver_messages(message_ids=[m.pk for m in messages])
    assert sorted(m.to[0] for m in server.sent) == [m.to_email for m in messages]
    attempts = []
    for message in messages:
        message.refresh_from_db()
        assert message.status == InboxMessage.Status.SENT
        attempts.append(message.attempts)
    assert attempts == [1, 2, 1]


def test_copies_share_one_body_each_with_its_own_links(server, eager_tasks):
    """send_copies: one stored copy per reader, its placeholders filled with its own
    values, the text normalised as any saved text is, and all of them sent after commit."""
    from django.db import transaction

    from core.mail import Copy, send_copies

    with transaction.atomic():
        stored = send_copies(
            subject="NEF\r\nDoc 17",
            text="Open LINK\r\nnow\x07",
            html="<a href='/n/LINK'>open</a>",
            kind="nef",
            copies=[
                Copy(to_email=f"r{i}@example.com", fill={"LINK": f"tok{i}"})
                for i in range(3)
            ],
        )
        assert server.sent == []  # nothing leaves before the commit
    assert [m.to_email for m in stored] == [f"r{i}@example.com" for i in range(3)]
    for i, message in enumerate(stored):
        message.refresh_from_db()
        assert message.subject == "NEF Doc 17"
        assert message.body_text == f"Open tok{i}\nnow"
        assert message.body_html == f"<a href='/n/tok{i}'>open</a>"
        assert message.status == InboxMessage.Status.SENT
    assert sorted(m.to[0] for m in server.sent) == [
        f"r{i}@example.com" for i in range(3)
    ]


def test_a_batch_given_its_writer_s_copies_sends_each_pending_one_once(server):
    """deliver_messages(written=...): the writer's own objects stand for the rows'
    bodies, but which are still pending is read under the lock: one already sent (by
    another worker) is not sent again, and each Message-ID is the row's own."""
    first, done, last = _stored("a@example.com"), _stored("b@example.com"), _stored()
    InboxMessage.objects.filter(pk=done.pk).update(status=InboxMessage.Status.SENT)
    written = [first, done, last]
    services.deliver_messages(message_ids=[m.pk for m in written], written=written)
    assert [m.to for m in server.sent] == [["a@example.com"], ["trustee@example.com"]]
    for message, sent in zip((first, last), server.sent, strict=True):
        stored = InboxMessage.objects.get(pk=message.pk)
        assert stored.status == InboxMessage.Status.SENT
        assert stored.attempts == 1
        assert sent.extra_headers["Message-ID"] == services.message_id_for(stored)
    services.deliver_messages(message_ids=[m.pk for m in written], written=written)
    assert len(server.sent) == 2
