"""Send e-mail the one way: keep a copy in the recipient's inbox, send it from a worker.

Nothing is sent inside the request; the worker sends after the transaction commits. On
the training instance nothing leaves the system: the message stays in the in-app inbox.
"""

from django.conf import settings
from django.db import transaction

from .models import InboxMessage


def send_message(
    *,
    to_email: str,
    subject: str,
    text: str,
    html: str = "",
    user=None,
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
        user=user,
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
