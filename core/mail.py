"""Send e-mail the one way: keep a copy in the recipient's inbox, send it from a worker.

Nothing is sent inside the request; the worker sends after the transaction commits. On
the training instance nothing leaves the system: the message stays in the in-app inbox.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from .models import InboxMessage

if TYPE_CHECKING:
    # Django's own user type: core sits below filers (tests/core/test_layering.py).
    from django.contrib.auth.base_user import AbstractBaseUser

# Functions `(*, message) -> str` saying why a stored message may no longer reach its
# reader ("" = it may): an NEF written while its entry's text was public, whose entry
# was sealed since. core imports no app: the apps register theirs from
# AppConfig.ready() (dockets/apps.py).
_withholding_checks: list[Callable[..., str]] = []


def on_withholding_check(check: Callable[..., str]) -> None:
    """Register `check(message=...) -> str` (once per check); see `withheld_reason`."""
    if check not in _withholding_checks:
        _withholding_checks.append(check)


def withheld_reason(message: InboxMessage) -> str:
    """Why `message` may not be shown or sent to its reader now, or "".

    The one question the inbox page (core.views) and the sender
    (core.services.deliver_message) both ask.
    """
    for check in _withholding_checks:
        why = check(message=message)
        if why:
            return why
    return ""


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

    status = (
        InboxMessage.Status.NOT_SENT
        if settings.ECF_IS_TRAINING
        else InboxMessage.Status.PENDING
    )
    if settings.ECF_IS_TRAINING:
        subject = (
            f"TRAINING: {subject}" if not subject.startswith("TRAINING") else subject
        )
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
