"""A claims upload end to end: the Celery task files the batch and each claim gets its NEF."""

import pytest
from batchkit import add_function, batch_xml, claim_form_pdf, make_zip
from claimkit import make_case, wait_for

from dockets.claims.batch import receive_batch
from dockets.claims.batch_models import ClaimBatch
from dockets.models import Notice

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_batch_runs_in_the_worker_and_each_filed_claim_is_noticed(
    demo, celery_worker_process
):
    creditor = demo.users["creditor"]
    case = make_case(demo)
    xml = batch_xml(
        add_function(
            case.display_number, creditor="First Worker Bank", claim_form="b410.pdf"
        ),
        add_function(
            case.display_number, creditor="Second Worker Bank", amount="99.99"
        ),
        add_function(
            case.display_number,
            creditor="Refused Bank",
            amount="5.00",
            unsecured="1.00",
        ),
        batch_id="NEF-1",
        user=creditor.email,
    )
    batch, _ = receive_batch(
        user=creditor,
        data=make_zip({"claims.xml": xml, "b410.pdf": claim_form_pdf()}),
    )
    done = wait_for(
        lambda: ClaimBatch.objects.filter(pk=batch.pk, status="done").first(),
        timeout=120,
    )
    assert (done.filed, done.refused) == (2, 1)
    entries = [i.entry for i in done.items.filter(status="filed")]
    for entry in entries:
        notice = wait_for(
            lambda entry=entry: Notice.objects.filter(
                entry=entry, status=Notice.Status.DONE
            ).first(),
            timeout=90,
        )
        assert notice.kind == Notice.Kind.CLAIM
        assert demo.users["attorney"].email in set(
            notice.recipients.values_list("email", flat=True)
        )
