"""Retries, final failure with a reason, the sweeper, and the clerk's retry of a notice."""

from unittest import mock

import pytest
from django.core import mail
from pipeline_helpers import file_entry

from dockets.models import Document, Notice
from dockets.pipeline import services
from dockets.pipeline.tasks import send_notice_task, stamp_entry_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def retries_run_inline():
    """Eager retries re-run the task at once; errors are kept, not raised into the test."""
    from ecf.celery import app

    old = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = old


def _filed_without_running(pcase, tmp_path, capture):
    """File, and create the NEF row, but run no task yet."""
    with capture(execute=False):
        entry = file_entry(pcase, tmp_path)
    with mock.patch.object(stamp_entry_task, "delay_on_commit"):
        services.start_pipeline(entry_id=entry.pk)
    return entry


def test_transient_errors_are_retried_then_the_document_fails_with_the_reason(
    pcase, tmp_path, django_capture_on_commit_callbacks, retries_run_inline
):
    """A file store that stays away: retried with back-off, then FAILED with a reason."""
    entry = _filed_without_running(pcase, tmp_path, django_capture_on_commit_callbacks)
    with mock.patch(
        "dockets.pipeline.stamping.stamp_pdf", side_effect=OSError("disk unavailable")
    ) as stamp:
        stamp_entry_task.apply(args=[entry.pk])
    assert stamp.call_count == stamp_entry_task.max_retries + 1
    document = entry.documents.get()
    assert document.status == Document.Status.FAILED
    assert "disk unavailable" in document.error_message
    assert document.attempts == stamp_entry_task.max_retries + 1
    assert entry.notices.get().status == Notice.Status.PENDING


def test_a_transient_error_that_clears_is_retried_to_success(
    pcase, tmp_path, django_capture_on_commit_callbacks, retries_run_inline
):
    from dockets.pdf.stamping import stamp_pdf

    entry = _filed_without_running(pcase, tmp_path, django_capture_on_commit_callbacks)
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("temporarily unavailable")
        return stamp_pdf(*args, **kwargs)

    with (
        django_capture_on_commit_callbacks(execute=True),
        mock.patch("dockets.pipeline.stamping.stamp_pdf", side_effect=flaky),
    ):
        stamp_entry_task.apply(args=[entry.pk])
    assert entry.documents.get().status == Document.Status.DONE
    assert entry.notices.get().status == Notice.Status.DONE


def test_notice_fails_with_reason_and_the_clerk_can_retry_it(
    pcase, tmp_path, django_capture_on_commit_callbacks, retries_run_inline
):
    """A notice whose sending keeps failing shows FAILED and why; the clerk's retry sends it once."""
    entry = _filed_without_running(pcase, tmp_path, django_capture_on_commit_callbacks)
    services.stamp_entry(entry_id=entry.pk)
    notice = entry.notices.get()
    with mock.patch(
        "dockets.pipeline.sending.send_copies",
        side_effect=OSError("database went away"),
    ):
        send_notice_task.apply(args=[notice.pk])
    notice.refresh_from_db()
    assert notice.status == Notice.Status.FAILED
    assert "database went away" in notice.error_message
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_failed(actor=pcase.users["clerk"], notice_id=notice.pk)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DONE
    assert len(mail.outbox) == 4


def test_sweeper_requeues_what_the_broker_lost(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """Rows still pending after the threshold are queued again; fresh ones are left alone."""
    entry = _filed_without_running(pcase, tmp_path, django_capture_on_commit_callbacks)
    assert services.sweep_pending(older_than_seconds=3600) == {
        "entries": 0,
        "notices": 0,
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_pending(older_than_seconds=0)["entries"] == 1
    assert entry.documents.get().status == Document.Status.DONE
    assert entry.notices.get().status == Notice.Status.DONE
    assert services.sweep_pending(older_than_seconds=0) == {"entries": 0, "notices": 0}


def test_copies_left_unsent_by_a_dead_worker_are_swept_and_sent_once(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """The pipeline task e-mails a notice's copies itself, once they are committed. A
    worker that dies between the two (here: the after-commit step never runs) leaves them
    pending; the broker's redelivery of the task sends nothing twice, and the outbox's
    sweep (core.services.requeue_pending_messages) sends each copy exactly once."""
    from core.models import InboxMessage
    from core.services import requeue_pending_messages

    entry = _filed_without_running(pcase, tmp_path, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False) as dropped:
        stamp_entry_task(entry.pk)  # the worker dies before its after-commit delivery
    assert dropped, "the task left nothing for after its commit: nothing was tested"
    notice = entry.notices.get()
    copies = InboxMessage.objects.filter(kind="nef")
    assert copies.count() == 4
    assert set(copies.values_list("status", flat=True)) == {"pending"}
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        stamp_entry_task(entry.pk)  # the broker delivers the task again
        services.send_notice(
            notice_id=notice.pk
        )  # and the sweeper re-queues the notice
    assert copies.count() == 4
    assert mail.outbox == []  # the copies are written once, and not sent by a re-run

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_pending_messages(older_than_seconds=0) == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        copies.values_list("to_email", flat=True)
    )
    assert set(copies.values_list("status", flat=True)) == {"sent"}
    assert requeue_pending_messages(older_than_seconds=0) == 0
