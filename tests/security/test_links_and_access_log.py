"""Links that outlive their purpose, and the access log of sealed and restricted documents.

ePOC receipt links and NEF free-look links expire (ECF_LINK_EXPIRY_DAYS) and then fall
back to normal access; a sealed claim document never opens through a receipt link; every
view or download of a sealed or restricted document is logged and shown to the clerk.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(demo):
    from seckit import make_case

    return make_case(demo.court, title="Receipt Link Debtor")


def claim_data():
    from dockets.claims.services import ClaimData

    return ClaimData(
        creditor_name="Coastal Federal Credit Union",
        creditor_address="P.O. Box 9000\nSan Diego, CA 92169",
        basis="Money loaned",
        amount_cents=100_000,
        unsecured_cents=100_000,
        account_last4="1234",
        signer_name="Pat Creditor",
    )


def _epoc_claim(case):
    from dockets.claims import services
    from dockets.claims.notices import receipt_token

    version = services.file_claim(case=case, data=claim_data(), epoc=True)
    return version, receipt_token(version.pk)


def test_a_sealed_claim_document_never_opens_through_its_receipt_link(client, case):
    from dockets.models import Document, Visibility

    version, token = _epoc_claim(case)
    url = reverse("dockets:epoc-download", kwargs={"token": token, "sequence": 0})
    assert client.get(url).status_code == 200  # public while unsealed
    Document.objects.filter(entry=version.entry).update(visibility=Visibility.SEALED)
    assert client.get(url).status_code == 404
    receipt = client.get(reverse("dockets:epoc-receipt", kwargs={"token": token}))
    assert url not in receipt.content.decode()


def test_an_expired_receipt_link_falls_back_to_normal_access(client, case, settings):
    settings.ECF_LINK_EXPIRY_DAYS = 15
    version, token = _epoc_claim(case)
    from core.crypto import decrypt

    code = decrypt(version.claim.epoc_code_encrypted)
    receipt_url = reverse("dockets:epoc-receipt", kwargs={"token": token})
    assert code in client.get(receipt_url).content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(days=16)):
        page = client.get(receipt_url).content.decode()
        assert "This receipt link has expired" in page
        assert code not in page
        download = client.get(
            reverse("dockets:epoc-download", kwargs={"token": token, "sequence": 0})
        )
        assert download.status_code == 302
        document = version.entry.documents.get(sequence=0)
        assert download["Location"] == reverse(
            "dockets:claim-document", kwargs={"document_id": document.pk}
        )


def test_an_expired_nef_link_is_only_the_documents_address(client, demo, settings):
    from seckit import file_pdf_entry, make_case

    from dockets.models import Notice, NoticeRecipient, Visibility

    settings.ECF_LINK_EXPIRY_DAYS = 15
    case = make_case(demo.court, title="Link Expiry Debtor")
    entry = file_pdf_entry(case, demo.users["clerk"], visibility=Visibility.RESTRICTED)
    notice = Notice.objects.create(entry=entry)
    recipient = NoticeRecipient.objects.create(
        notice=notice, email="someone@example.test", token="tok-expiry-1"
    )
    document = entry.documents.get()
    url = reverse(
        "dockets:notice-link",
        kwargs={"token": recipient.token, "document_id": document.pk},
    )
    # Fresh: a restricted document asks an anonymous reader to log in.
    assert client.get(url)["Location"].startswith("/accounts/login/")
    with time_machine.travel(timezone.now() + dt.timedelta(days=16)):
        response = client.get(url)
        assert response["Location"] == reverse(
            "dockets:document", kwargs={"document_id": document.pk}
        )
        recipient.refresh_from_db()
        assert client.get(response["Location"]).status_code == 404


def test_every_view_of_a_restricted_document_is_logged_and_shown_to_the_clerk(
    client, demo
):
    from seckit import file_pdf_entry, make_case

    from dockets.models import DocumentAccess, Visibility

    case = make_case(demo.court, title="Access Log Debtor")
    entry = file_pdf_entry(case, demo.users["clerk"], visibility=Visibility.SEALED)
    document = entry.documents.get()
    public = file_pdf_entry(case, demo.users["clerk"]).documents.get()
    judge = demo.users["judge"]
    client.force_login(judge)
    client.get(reverse("dockets:document-download", args=[document.pk]))
    client.get(reverse("dockets:document-download", args=[public.pk]))
    log = list(DocumentAccess.objects.filter(document=document))
    assert [(a.user_id, a.route, a.visibility) for a in log] == [
        (judge.pk, "download", "sealed")
    ]
    assert not DocumentAccess.objects.filter(document=public).exists()
    # The attorney is refused, and the refusal is no access to log.
    client.force_login(demo.users["attorney"])
    assert (
        client.get(reverse("dockets:document-download", args=[document.pk])).status_code
        == 404
    )
    client.force_login(demo.users["clerk"])
    page = client.get(reverse("dockets:document", args=[document.pk])).content.decode()
    assert "Who opened this document" in page
    assert judge.email in page
    client.force_login(judge)
    assert (
        "Who opened this document"
        not in client.get(
            reverse("dockets:document", args=[document.pk])
        ).content.decode()
    )


def test_non_public_responses_are_never_cached(client, demo, case):
    from seckit import file_pdf_entry

    from dockets.models import Visibility

    entry = file_pdf_entry(case, demo.users["clerk"], visibility=Visibility.SEALED)
    docket = reverse("dockets:docket", kwargs={"case_id": case.pk})
    assert "no-store" not in client.get(docket).get("Cache-Control", "")
    client.force_login(demo.users["clerk"])
    court_view = client.get(docket)
    assert entry.text in court_view.content.decode() or court_view.status_code == 200
    assert "no-store" in court_view["Cache-Control"]
    client.logout()
    _version, token = _epoc_claim(case)
    receipt = client.get(reverse("dockets:epoc-receipt", kwargs={"token": token}))
    assert "no-store" in receipt["Cache-Control"]


def test_verify_does_not_confirm_that_a_sealed_file_exists(client, demo, case):
    from seckit import file_pdf_entry

    from dockets.models import Visibility

    sealed = file_pdf_entry(
        case, demo.users["clerk"], visibility=Visibility.SEALED
    ).documents.get()
    url = reverse("dockets:verify")
    client.force_login(demo.users["attorney"])
    answer = client.post(url, {"digest": sealed.sha512}).content.decode()
    assert "No filed document matches this file" in answer
    client.force_login(demo.users["clerk"])
    answer = client.post(url, {"digest": sealed.sha512}).content.decode()
    assert "This matches the" in answer


def test_the_clerks_correction_of_a_sealed_entry_never_reaches_the_filers_email(
    demo, case
):
    from seckit import file_pdf_entry

    from core.models import InboxMessage
    from dockets.clerk.services.corrections import docket_corrective_entry
    from dockets.models import DocketEntry, Visibility

    attorney = demo.users["attorney"]
    entry = file_pdf_entry(case, attorney)
    DocketEntry.objects.filter(pk=entry.pk).update(visibility=Visibility.SEALED)
    entry.refresh_from_db()
    docket_corrective_entry(
        entry=entry,
        clerk=demo.users["clerk"],
        correction="Counsel Must Refile",
        note="SEALED-CORRECTION-TEXT-93",
    )
    mails = InboxMessage.objects.filter(to_email=attorney.email)
    assert mails.exists()
    assert not any("SEALED-CORRECTION-TEXT-93" in m.body_text for m in mails)
