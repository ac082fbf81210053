"""Issue #25's "How it will be checked", walked through the real pages as a user would:
a Form 410A whose parts do not add up is refused with the exact difference on every
path (claim page, ePOC, API, claims upload), and a payment-change notice filed on its
page shows its computed effective date (docket, claim page)."""

import datetime as dt

import pytest
from batchkit import add_function, batch_xml, claim_form_pdf, make_zip
from claimkit import claim_data, make_case
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from pdfmaker import pdf_bytes
from test_claims_views import _epoc_form, _epoc_post
from test_form410a import GOOD

from dockets.claims import services
from dockets.claims.batch import process_batch
from dockets.claims.batch_models import ClaimBatch
from dockets.models import Claim, DocketEntry

pytestmark = pytest.mark.django_db

# Part 2 interest due $1 too high: the parts come to $251,501.00 against a total debt of
# $251,500.00, so every path must say "a difference of -$1".
BAD = {**GOOD, "interest_due_cents": 400_100}
DIFFERENCE = "a difference of -$1"


def _page_fields(parts: dict) -> dict:
    return {
        "principal_residence": "on",
        "arrearage": "7,400.00",
        **{
            f"m410a_{k.removesuffix('_cents')}": f"{v / 100:.2f}"
            for k, v in parts.items()
        },
    }


def test_a_410a_that_does_not_add_up_is_refused_with_the_difference_on_every_path(
    demo, client
):
    creditor = demo.users["creditor"]
    case = make_case(demo, chapter="13")
    mortgage = {
        "creditor_name": "Harbor Mortgage",
        "creditor_address": "1 Bay Way\nSan Diego, CA 92101",
        "basis": "Mortgage note",
        "amount": "251,500.00",
        "secured": "251,500.00",
        "unsecured": "",
    }

    # 1. Logged in: the claim page.
    client.force_login(creditor)
    page = client.post(
        f"/cases/{case.pk}/claims/file/",
        {**mortgage, **_page_fields(BAD), "submission": "s-1"},
    )
    assert page.status_code == 200
    assert escape(DIFFERENCE) in page.content.decode()

    # 2. ePOC, without a login.
    client.logout()
    epoc = client.post(
        f"/cases/{case.pk}/claims/epoc/",
        _epoc_post(**_epoc_form(client, case), **mortgage, **_page_fields(BAD)),
    )
    assert epoc.status_code == 400  # the answers page again, with the error
    assert escape(DIFFERENCE) in epoc.content.decode()

    # 3. The API.
    from dockets.api.services import create_api_token

    _row, secret = create_api_token(
        user=creditor, name="Servicer", scopes=["claims"], days=1
    )
    api = client.post(
        f"/api/v1/cases/{case.pk}/claims",
        {
            "creditor_name": "Harbor Mortgage",
            "creditor_address": "1 Bay Way",
            "basis": "Mortgage note",
            "amount_cents": 25_150_000,
            "secured_cents": 25_150_000,
            "principal_residence": True,
            "arrearage_cents": 740_000,
            "mortgage": BAD,
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert api.status_code == 422
    assert DIFFERENCE in api.json()["error"]["message"]

    # 4. The claims upload page, then the batch's log page.
    tags = {
        "interest_due_cents": "InterestDue",
        "principal_balance_cents": "PrincipalBalance",
        "fees_costs_cents": "FeesCostsDue",
        "escrow_deficiency_cents": "EscrowDeficiency",
        "total_debt_cents": "TotalDebt",
        "arrears_principal_interest_cents": "ArrearsPrincipalInterest",
        "arrears_fees_cents": "ArrearsFees",
        "arrears_escrow_deficiency_cents": "ArrearsEscrowDeficiency",
        "total_arrearage_cents": "TotalArrearage",
        "monthly_principal_interest_cents": "MonthlyPrincipalInterest",
        "monthly_escrow_cents": "MonthlyEscrow",
        "total_monthly_payment_cents": "TotalMonthlyPayment",
    }
    xml_410a = "".join(f"<{t}>{BAD[k] / 100:.2f}</{t}>" for k, t in tags.items())
    xml = batch_xml(
        add_function(
            case.display_number,
            creditor="Harbor Mortgage",
            amount="251500.00",
            secured="251500.00",
            unsecured="0",
            claim_form="b410.pdf",
            extra="<PrincipalResidence>Y</PrincipalResidence>"
            f"<AmountToCure>7400.00</AmountToCure><Mortgage410A>{xml_410a}</Mortgage410A>",
        ),
        batch_id="E2E-410A",
        user=creditor.email,
    )
    client.force_login(creditor)
    upload = client.post(
        "/claims/upload/",
        {
            "upload": SimpleUploadedFile(
                "b.zip",
                make_zip({"claims.xml": xml, "b410.pdf": claim_form_pdf()}),
                "application/zip",
            )
        },
    )
    assert upload.status_code == 302
    batch = process_batch(ClaimBatch.objects.get(filer=creditor).pk)
    assert batch.refused == 1
    log = client.get(f"/claims/upload/{batch.pk}/").content.decode()
    assert escape(DIFFERENCE) in log

    assert not Claim.objects.filter(case=case).exists()
    assert not DocketEntry.objects.filter(case=case, event__code="claim").exists()


def test_a_payment_change_notice_filed_on_its_page_shows_its_effective_date(
    demo, client, time_machine
):
    """Rule 3002.1(b): a notice filed less than 21 days before the new payment is due
    takes effect on the first payment due at least 21 days after it was filed."""
    time_machine.move_to(dt.datetime(2026, 12, 1, 18, 0, tzinfo=dt.UTC))
    creditor = demo.users["creditor"]
    case = make_case(demo, chapter="13", title="James T. Whitfield")
    claim = services.file_claim(case=case, data=claim_data(), filer=creditor).claim
    client.force_login(creditor)
    page = client.post(
        f"/claims/{claim.pk}/rule-3002-1/",
        {
            "code": "mtgchg",
            "amount": "1,912.44",
            "effective_date": "2026-12-15",
            "document": SimpleUploadedFile(
                "notice.pdf",
                pdf_bytes(text="NOTICE OF MORTGAGE PAYMENT CHANGE\n/s/ Pat Servicer"),
                "application/pdf",
            ),
        },
    )
    assert page.status_code == 302, page.content.decode()[:3000]
    detail = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "<strong>01/15/2027</strong> (moved)" in detail
    entry = DocketEntry.objects.get(case=case, event__code="mtgchg")
    assert "effective 01/15/2027" in entry.text
    docket = client.get(f"/cases/{case.pk}/docket/").content.decode()
    assert "effective 01/15/2027" in docket
