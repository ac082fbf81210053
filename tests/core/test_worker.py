"""A real Celery worker process sends e-mail through the real Redis broker."""

import pytest
from testkit import wait_for

from core.mail import send_message
from core.models import InboxMessage

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_message_is_kept_in_the_inbox_and_sent_by_the_worker(
    celery_worker_process, demo
):
    """The request only stores the message; a worker process sends it after commit."""
    user = demo.users["attorney"]
    message = send_message(
        to_email=user.email, subject="Welcome to ECF", text="Hello.", user=user
    )
    assert message.status == InboxMessage.Status.PENDING
    sent = wait_for(
        lambda: InboxMessage.objects.filter(
            pk=message.pk, status=InboxMessage.Status.SENT
        ).first(),
        timeout=60,
    )
    assert sent.sent_at is not None
    assert sent.attempts == 1
