"""Every filing starts the pipeline: its NEF row commits with the entry, and the stamping
is queued only once the filing has committed."""

import gc
from unittest import mock

import pytest
from django.db import transaction
from pipeline_helpers import file_entry

from dockets.alerts.services import take_filed_event
from dockets.models import DocketEntry, Notice
from dockets.pipeline.tasks import stamp_entry_task

pytestmark = pytest.mark.django_db


def test_the_nef_row_is_written_in_the_filing_transaction(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """Before anything runs after commit, the filing already has its pending NEF; the one
    thing left for after commit is queueing the stamping, which takes the filing's
    alerts along (one task per filing: no alert task of its own)."""
    from core.models import AuditEvent
    from dockets.alerts.tasks import dispatch_event_task

    with (
        mock.patch.object(stamp_entry_task, "delay") as queued,
        mock.patch.object(dispatch_event_task, "delay") as alerts,
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            entry = file_entry(pcase, tmp_path)
        assert entry.notices.get().status == Notice.Status.PENDING
        queued.assert_not_called()
        for callback in callbacks:
            callback()
        filed = AuditEvent.objects.get(
            action="dockets.entry.filed",
            target_type="dockets.DocketEntry",
            target_id=str(entry.pk),
        )
        queued.assert_called_once_with(entry.pk, filed.pk)
        alerts.assert_not_called()


def test_an_entry_filed_without_the_pipeline_still_has_its_alerts_queued(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """An entry no pipeline takes (a fee receipt: create_entry without after_filing)
    still has its alerts dispatched, by a task of their own."""
    from core.audit import record_event
    from dockets.alerts.tasks import dispatch_event_task

    entry = file_entry(pcase, tmp_path)
    with mock.patch.object(dispatch_event_task, "delay") as alerts:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            event = record_event(
                actor=None,
                action="dockets.entry.filed",
                target=entry,
                case_id=entry.case_id,
            )
        alerts.assert_called_once_with(event.pk)


def test_a_filing_that_rolls_back_leaves_no_notice(pcase, tmp_path):
    """The NEF row and the entry commit together or not at all."""

    class Undo(Exception):
        pass

    undone = []

    def file_then_undo():
        with transaction.atomic():
            undone.append(file_entry(pcase, tmp_path).pk)
            raise Undo

    before = Notice.objects.count()
    with pytest.raises(Undo):
        file_then_undo()
    assert Notice.objects.count() == before
    # Nothing of the undone filing is left waiting for a commit (its alerts' hand-over).
    gc.collect()
    assert take_filed_event(undone[0]) is None
    assert not DocketEntry.objects.filter(
        case=pcase.case, event__code="extime"
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_at_commit_never_fails_the_filing(demo, tmp_path, caplog):
    """The filing commits; the broker is away when the stamping is queued: the filer still
    gets the entry, the error is logged, and the pending rows wait for the sweeper."""
    from kombu.exceptions import OperationalError
    from pipeline_helpers import build_case

    pcase = build_case(demo)
    with mock.patch.object(
        stamp_entry_task, "delay", side_effect=OperationalError("broker away")
    ):
        entry = file_entry(pcase, tmp_path)
    assert DocketEntry.objects.filter(pk=entry.pk).exists()
    assert entry.notices.get().status == Notice.Status.PENDING
    assert "broker away" in caplog.text
