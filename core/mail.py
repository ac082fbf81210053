"""Send e-mail the one way: keep a copy in the recipient's inbox, send it from a worker.

Nothing is sent inside the request; the worker sends after the transaction commits. On
the training instance nothing leaves the system: the message stays in the in-app inbox.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from .bulk import insert_rows
from .models import InboxMessage
from .text import normalize

# The most messages one delivery task sends over one connection to the mail server.
DELIVERY_BATCH = 100

if TYPE_CHECKING:
    # Django's own user type: core sits below filers (tests/core/test_layering.py).
    from django.contrib.auth.base_user import AbstractBaseUser

# Functions `(*, messages) -> {message id: reason}` saying which stored messages may no
# longer reach their reader (a message left out may): an NEF written while its entry's
# text was public, whose entry was sealed since. One call answers a whole batch, so the
# sender asks once per batch, not once per message. core imports no app: the apps
# register theirs from AppConfig.ready() (dockets/apps.py).
_withholding_checks: list[Callable[..., dict[int, str]]] = []


def on_withholding_check(check: Callable[..., dict[int, str]]) -> None:
    """Register `check(messages=[...]) -> {id: reason}` (once per check); see `withheld_reasons`."""
    if check not in _withholding_checks:
        _withholding_checks.append(check)


def withheld_reasons(messages: Sequence[InboxMessage]) -> dict[int, str]:
    """Which of `messages` may not be shown or sent to their reader now, and why.

    The one question the inbox page (core.views) and the sender
    (core.services.deliver_messages) both ask. Messages not in the answer may be.
    """
    found: dict[int, str] = {}
    for check in _withholding_checks:
        for pk, why in check(messages=list(messages)).items():
            if why and pk not in found:
                found[pk] = why
    return found


def withheld_reason(message: InboxMessage) -> str:
    """Why `message` may not be shown or sent to its reader now, or "" (withheld_reasons)."""
    return withheld_reasons([message]).get(message.pk, "")


def _status_and_subject(subject: str) -> tuple[str, str]:
    """A new message's status and subject: on the training instance nothing leaves."""
    if settings.ECF_IS_TRAINING:
        subject = (
            f"TRAINING: {subject}" if not subject.startswith("TRAINING") else subject
        )
        return InboxMessage.Status.NOT_SENT, subject
    return InboxMessage.Status.PENDING, subject


def send_message(
    *,
    to_email: str,
    subject: str,
    text: str,
    html: str = "",
    user: AbstractBaseUser | None = None,
    kind: str = "general",
) -> InboxMessage:
    """Store the message for the recipient's inbox and queue its delivery after commit."""
    from .tasks import deliver_message_task

    status, subject = _status_and_subject(subject)
    message = InboxMessage.objects.create(
        # By id: the model's foreign key names filers.User, which core may not import.
        user_id=user.pk if user is not None else None,
        to_email=to_email,
        subject=subject[:300],
        body_text=text,
        body_html=html,
        kind=kind,
        status=status,
    )
    if status == InboxMessage.Status.PENDING:
        transaction.on_commit(lambda: deliver_message_task.delay(message.pk))
    return message


@dataclass(frozen=True)
class Copy:
    """One reader's copy of a message sent to many: its address, its account, and the
    values that replace the body's placeholders in this copy only (its own links)."""

    to_email: str
    user: Any = None
    fill: dict[str, str] = field(default_factory=dict)


def _filled(body: str, fill: dict[str, str]) -> str:
    for placeholder, value in fill.items():
        body = body.replace(placeholder, value)
    return body


def send_copies(
    *,
    subject: str,
    text: str,
    html: str = "",
    kind: str,
    copies: Sequence[Copy],
    queue: bool = True,
) -> list[InboxMessage]:
    """`send_message` for one body sent to many readers, each copy with its own links.

    Every copy is stored for its reader's inbox (one INSERT for all: core.bulk) and queued after
    commit, DELIVERY_BATCH messages per delivery task (core.services.deliver_messages:
    each message still claimed and sent on its own, with its own Message-ID). The
    text is normalised as every model save does (core.text), once for the shared body
    and once per filled-in value, since a bulk insert sends no pre_save signal.
    Returns the messages in the order of `copies`.

    `queue=False`: the caller delivers them itself after commit
    (core.services.deliver_messages, e.g. in the task that wrote them); a copy the
    caller never delivers is still found by core.services.requeue_pending_messages.
    """
    from .tasks import deliver_messages_task

    status, subject = _status_and_subject(subject)
    subject = normalize(subject, multiline=False)[:300]
    text = normalize(text, multiline=True)
    html = normalize(html, multiline=True)
    messages = []
    for copy in copies:
        fill = {k: normalize(v, multiline=False) for k, v in copy.fill.items()}
        body_text, body_html = _filled(text, fill), _filled(html, fill)
        if not all(v.isascii() for v in fill.values()):
            body_text = normalize(body_text, multiline=True)
            body_html = normalize(body_html, multiline=True)
        messages.append(
            InboxMessage(
                user=copy.user,
                to_email=normalize(copy.to_email, multiline=False),
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                kind=kind,
                status=status,
            )
        )
    insert_rows(messages)
    if queue and status == InboxMessage.Status.PENDING and messages:
        ids = [m.pk for m in messages]

        def queue_delivery() -> None:
            for start in range(0, len(ids), DELIVERY_BATCH):
                deliver_messages_task.delay(ids[start : start + DELIVERY_BATCH])

        transaction.on_commit(queue_delivery)
    return messages
