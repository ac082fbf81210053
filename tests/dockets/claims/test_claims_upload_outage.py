"""A broker outage when a claims upload arrives: the batch is kept as queued, the
uploader is told, and the sweep files it once the broker is back (issue 25)."""

import pytest
from batchkit import add_function, batch_xml, make_zip
from claimkit import make_case, wait_for
from django.core.files.uploadedfile import SimpleUploadedFile

from dockets.claims.batch import process_batch, sweep_claim_batches
from dockets.claims.batch_models import ClaimBatch
from dockets.models import Claim

# Committed transactions: the upload's on-commit dispatch really runs, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _publish_to(app, url: str | None) -> None:
    """Make the app publish to `url` (None: the configured broker) from now on.

    The write URL is set because CELERY_BROKER_URL in the environment wins over
    broker_url. The app's pools are dropped (not closed: kombu keeps them in a registry
    per URL and hands the same ones back when the broker "returns").
    """
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_write_url = url


@pytest.fixture
def broker_down():
    """Redis really unreachable for publishing while the test runs in this block."""
    from ecf.celery import app

    _publish_to(app, DEAD_BROKER)
    try:
        yield lambda: _publish_to(app, None)  # the broker comes back
    finally:
        _publish_to(app, None)


def test_an_upload_during_a_broker_outage_is_kept_queued_and_the_sweep_files_it(
    demo, client, broker_down, eager_tasks
):
    from ecf.celery import app

    creditor = demo.users["creditor"]
    case = make_case(demo)
    xml = batch_xml(
        add_function(case.display_number, creditor="Outage Credit Union"),
        batch_id="OUTAGE-1",
        user=creditor.email,
    )
    client.force_login(creditor)
    # Eager mode off for the upload itself: the dispatch must go through the broker.
    app.conf.task_always_eager = False
    response = client.post(
        "/claims/upload/",
        {"upload": SimpleUploadedFile("o.zip", make_zip({"claims.xml": xml}))},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "filing has not started" in page
    assert "Queued: 0 of 1 claim function processed" in page
    batch = ClaimBatch.objects.get(batch_id="OUTAGE-1")
    assert batch.status == ClaimBatch.Status.QUEUED
    assert not Claim.objects.filter(creditor_name="Outage Credit Union").exists()

    # Still down: the sweep queues nothing and loses nothing.
    assert sweep_claim_batches(older_than_seconds=0) == 0
    assert ClaimBatch.objects.get(pk=batch.pk).status == ClaimBatch.Status.QUEUED

    # A fresh batch is left to its own task; an old one is dispatched again.
    broker_down()  # back
    app.conf.task_always_eager = True
    assert sweep_claim_batches(older_than_seconds=3600) == 0
    assert sweep_claim_batches(older_than_seconds=0) == 1
    batch.refresh_from_db()
    assert (batch.status, batch.filed) == (ClaimBatch.Status.DONE, 1)
    assert Claim.objects.filter(creditor_name="Outage Credit Union").count() == 1
    assert sweep_claim_batches(older_than_seconds=0) == 0  # done: nothing to sweep
    page = client.get(f"/claims/upload/{batch.pk}/").content.decode()
    assert "Done: 1 of 1 claim function processed; 1 filed" in page


def test_a_batch_another_task_is_filing_is_left_to_it(demo, broker_down):
    """Only one task files a batch at a time: a second dispatch files nothing."""
    from django.db import connections

    from dockets.claims.batch import _LOCK_CLASS, receive_batch

    creditor = demo.users["creditor"]
    case = make_case(demo)
    batch, _ = receive_batch(
        user=creditor,
        data=make_zip(
            {
                "claims.xml": batch_xml(
                    add_function(case.display_number, creditor="Locked Co"),
                    batch_id="LOCK-1",
                    user=creditor.email,
                )
            }
        ),
    )
    other = connections.create_connection("default")  # another worker's session
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [_LOCK_CLASS, batch.pk])
        assert process_batch(batch.pk).status == ClaimBatch.Status.QUEUED
        assert not Claim.objects.filter(creditor_name="Locked Co").exists()
    finally:
        other.close()  # a dead worker's session ends: its lock goes with it

    def released():
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND classid = %s AND objid = %s",
                [_LOCK_CLASS, batch.pk],
            )
            return cursor.fetchone()[0] == 0

    wait_for(released, timeout=10)  # the server ends the session just after
    assert process_batch(batch.pk).filed == 1
