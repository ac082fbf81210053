"""The claims NEF end to end: a claim filed, stamped and noticed by a real Celery worker."""

import pytest
from claimkit import claim_data, make_case, wait_for

from core.models import InboxMessage
from dockets.claims import services
from dockets.models import Document, Notice

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_claim_filing_sends_the_claims_nef(demo, celery_worker_process):
    """The debtor's attorney, the trustee and the U.S. trustee get the "Notice of Electronic
    Claims Filing" with the claim number, creditor and amounts; the ePOC filer gets a copy."""
    users = demo.users
    case = make_case(demo)
    version = services.file_claim(
        case=case, data=claim_data(creditor_email="billing@coastal.test"), epoc=True
    )
    entry = version.entry
    assert entry is not None
    notice = wait_for(
        lambda: Notice.objects.filter(entry=entry, status=Notice.Status.DONE).first(),
        timeout=90,
    )
    assert notice.kind == Notice.Kind.CLAIM
    assert wait_for(
        lambda: all(d.status == Document.Status.DONE for d in entry.documents.all())
    )
    sent_to = set(notice.recipients.values_list("email", flat=True))
    for who in ("attorney", "trustee", "ustrustee"):
        assert users[who].email in sent_to, who
    message = InboxMessage.objects.filter(user=users["attorney"], kind="nef").latest(
        "id"
    )
    assert "Notice of Electronic Claims Filing" in message.body_text
    assert "Claim #1 filed by Coastal Federal Credit Union" in message.body_text
    assert "Amount claimed: $32,611.40" in message.body_text
    assert "Amount secured: $10,000" in message.body_text
    receipt = InboxMessage.objects.get(to_email="billing@coastal.test")
    assert "Claim Number:  1-1" in receipt.body_text
    assert "Amount Priority: $0" in receipt.body_text
