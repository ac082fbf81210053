"""The clerk's sealing allow-list and the pending transfers page, by keyboard-free
forms only (no JavaScript needed), each page checked with axe-core."""

import sys
from pathlib import Path

import pytest
from browserkit import login
from django.urls import reverse
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_names_and_removes_a_reader_of_a_sealed_entry(
    page, live_server, demo, assert_accessible
):
    from seckit import file_pdf_entry, make_case

    from cases.models import Party, Representation
    from cases.services import PartyData, add_party
    from dockets.models import SealAllowance, Visibility
    from dockets.permissions import can_view_document

    attorney, clerk = demo.users["attorney"], demo.users["clerk"]
    case = make_case(demo.court, title="Sealed Debtor")
    debtor = add_party(
        case=case, data=PartyData(role=Party.Role.DEBTOR, name="Sealed Debtor")
    )
    Representation.objects.create(case=case, party=debtor, attorney=attorney)
    entry = file_pdf_entry(case, clerk, visibility=Visibility.SEALED)
    document = entry.documents.get()
    assert not can_view_document(attorney, document)

    login(page, live_server, clerk)
    page.goto(live_server.url + reverse("dockets:entry-visibility", args=[entry.pk]))
    expect(page.get_by_text("Nobody outside the court (the default).")).to_be_visible()
    assert_accessible()
    page.get_by_label("A participant of this case").select_option(
        label=f"{attorney.email}, attorney for Sealed Debtor"
    )
    page.get_by_label("Order naming this person").fill("Order #7 granting seal")
    page.get_by_role("button", name="Add to the order's list").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"{attorney.email} may now read this sealed entry"
    )
    assert_accessible()
    assert can_view_document(attorney, document)

    page.get_by_label(f"Reason for removing {attorney.email}").fill("Order #9")
    page.get_by_role("button", name=f"Remove {attorney.email}").click()
    expect(page.get_by_role("status")).to_contain_text("their access ended at once")
    assert_accessible()
    assert not SealAllowance.objects.exists()
    assert not can_view_document(attorney, document)


def test_clerk_decides_a_pending_transfer_on_its_page(
    page, live_server, demo, assert_accessible
):
    import datetime as dt

    from seckit import file_pdf_entry, make_case

    from dockets.claims.models import ClaimTransfer
    from dockets.claims.services import ClaimData, file_claim

    case = make_case(demo.court, title="Transfer Debtor")
    claim = file_claim(
        case=case,
        filer=demo.users["creditor"],
        data=ClaimData(
            creditor_name="Coastal Federal Credit Union",
            creditor_address="P.O. Box 1\nSan Diego, CA 92123",
            basis="Money loaned",
            amount_cents=100_000,
            unsecured_cents=100_000,
            signer_name="Pat Creditor",
        ),
    ).claim
    transfer = ClaimTransfer.objects.create(
        claim=claim,
        entry=file_pdf_entry(case, demo.users["attorney2"]),
        transferor=claim.holder,
        transferee_name="Jefferson Capital Systems LLC",
        filed_by=demo.users["attorney2"],
        objection_deadline=dt.date(2099, 1, 5),
        objection_rule="21 days after the filing of the transfer (FRBP 9006(a)(1)).",
    )
    login(page, live_server, demo.users["clerk"])
    page.goto(live_server.url + reverse("dockets:clerk-dashboard"))
    page.get_by_role("link", name="Transfers waiting for objections").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Transfers of claim waiting for objections"
    )
    expect(page.get_by_text("FRBP 9006(a)(1)")).to_be_visible()
    assert_accessible()
    page.get_by_role("button", name="Court order: effective now").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Effective: the register shows the transferee"
    )
    assert_accessible()
    transfer.refresh_from_db()
    assert transfer.status == ClaimTransfer.Status.EFFECTIVE
    claim.refresh_from_db()
    assert claim.holder == "Jefferson Capital Systems LLC"
