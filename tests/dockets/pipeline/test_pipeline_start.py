"""Every filing starts the pipeline: its NEF row commits with the entry, and the stamping
is queued only once the filing has committed."""

from unittest import mock

import pytest
from django.db import transaction
from pipeline_helpers import file_entry

from dockets.models import DocketEntry, Notice
from dockets.pipeline.tasks import stamp_entry_task

pytestmark = pytest.mark.django_db


def test_the_nef_row_is_written_in_the_filing_transaction(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """Before anything runs after commit, the filing already has its pending NEF; the one
    thing left for after commit is queueing the stamping."""
    with mock.patch.object(stamp_entry_task, "delay") as queued:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            entry = file_entry(pcase, tmp_path)
        assert entry.notices.get().status == Notice.Status.PENDING
        queued.assert_not_called()
        for callback in callbacks:
            callback()
        queued.assert_called_once_with(entry.pk)


def test_a_filing_that_rolls_back_leaves_no_notice(pcase, tmp_path):
    """The NEF row and the entry commit together or not at all."""

    class Undo(Exception):
        pass

    def file_then_undo():
        with transaction.atomic():
            file_entry(pcase, tmp_path)
            raise Undo

    before = Notice.objects.count()
    with pytest.raises(Undo):
        file_then_undo()
    assert Notice.objects.count() == before
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
