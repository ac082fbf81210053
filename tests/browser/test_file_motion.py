"""An attorney files a motion for relief from stay in real Chromium, pays the fee, sees the entry."""

from __future__ import annotations

import re

import pytest
from browserkit import CSP_ENFORCED, login
from django.db import transaction
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOTION = (
    "UNITED STATES BANKRUPTCY COURT\n"
    "In re: Maria L. Gonzalez, Debtor.\n"
    "MOTION FOR RELIEF FROM THE AUTOMATIC STAY\n"
    "Coastal Federal Credit Union moves for relief as to 4120 Ocean View Blvd.\n"
    "/s/ Marcus Lee\n"
    "Marcus Lee, Counsel for Coastal Federal Credit Union"
)


def _case(demo):
    from cases.models import Judge, Office, Party, Trustee
    from cases.services import PartyData, add_party, create_case
    from dockets.models import DocketEntry, Event
    from dockets.services import FilingRequest, create_entry, lock_case

    attorney = demo.users["attorney"]
    court = demo.court
    with transaction.atomic():
        case = create_case(
            court=court,
            office=Office.objects.get(court=court, number=3),
            chapter="7",
            title="Maria L. Gonzalez",
            judge=Judge.objects.get(court=court, initials="LT"),
            trustee=Trustee.objects.filter(
                court=court, kind=Trustee.Kind.PANEL_7
            ).first(),
            actor=attorney,
        )
        debtor = add_party(
            case=case,
            actor=attorney,
            data=PartyData(role=Party.Role.DEBTOR, name="Maria L. Gonzalez"),
        )
        add_party(
            case=case,
            actor=attorney,
            data=PartyData(
                role=Party.Role.CREDITOR,
                is_entity=True,
                name="Coastal Federal Credit Union",
            ),
        )
        locked = lock_case(case.pk)
        create_entry(
            FilingRequest(
                case=locked,
                events=[Event.objects.get(code="volp7")],
                filer=attorney,
                parties=[debtor],
                fee_status=DocketEntry.FeeStatus.PAID,
            ),
            case=locked,
        )
    return case


@CSP_ENFORCED
def test_attorney_files_relief_from_stay_pays_and_sees_the_entry(
    page, live_server, demo, tmp_path, assert_accessible
):
    from pdfmaker import make_pdf

    from dockets.models import DocketEntry, Payment

    case = _case(demo)
    main = make_pdf(tmp_path / "relief-motion.pdf", text=MOTION, pages=2)
    exhibit = make_pdf(
        tmp_path / "deed-of-trust.pdf",
        text="EXHIBIT A\nDeed of Trust\nMaria L. Gonzalez",
    )
    order = make_pdf(
        tmp_path / "proposed-order.pdf", text="PROPOSED ORDER\nIn re Maria L. Gonzalez"
    )

    login(page, live_server, demo.users["attorney2"])
    page.goto(live_server.url + reverse("dockets:filing-start"))
    assert_accessible()
    page.get_by_label("Case number").fill(case.display_number)
    page.get_by_role("button", name="Next").click()

    # Events: search, then tick the motion.
    expect(
        page.get_by_role("heading", name="Choose the event", level=2)
    ).to_be_visible()
    expect(
        page.get_by_text("Maria L. Gonzalez").first
    ).to_be_visible()  # the case name, to confirm
    expect(page.get_by_text("Court time now:")).to_be_visible()
    page.get_by_label("Search events by keyword or form number").fill(
        "relief from stay"
    )
    page.get_by_role("button", name="Show events").click()
    assert_accessible()
    page.get_by_label(re.compile(r"^Motion for Relief From Stay \(Fee\)")).check()
    page.get_by_role("button", name="Continue").click()

    # Parties: for the bank, against the debtor.
    expect(page.get_by_role("heading", name="Parties", level=2)).to_be_visible()
    assert_accessible()
    page.get_by_role("group", name="Filing for").get_by_label(
        "Coastal Federal Credit Union"
    ).check()
    page.get_by_role("group", name="Filed against").get_by_label(
        "Maria L. Gonzalez"
    ).check()
    page.get_by_role("button", name="Continue").click()

    # Documents: the motion, then two attachments, one at a time.
    expect(page.get_by_role("heading", name="Documents", level=2)).to_be_visible()
    assert_accessible()
    page.get_by_label("Main document (PDF)").set_input_files(str(main))
    page.get_by_label("Attachment (PDF)").set_input_files(str(exhibit))
    page.get_by_label("Attachment type").select_option("Exhibit")
    page.get_by_label("Attachment description").fill("Exhibit A Deed of Trust")
    page.get_by_role("button", name="Upload and add another").click()
    expect(
        page.get_by_role("link", name="relief-motion.pdf", exact=True)
    ).to_be_visible()
    page.get_by_label("Attachment (PDF)").set_input_files(str(order))
    page.get_by_label("Attachment type").select_option("Proposed Order")
    page.get_by_role("button", name="Upload and add another").click()
    expect(
        page.get_by_role("link", name="proposed-order.pdf", exact=True)
    ).to_be_visible()
    assert_accessible()
    # The step list cannot skip the required details: "Review and submit" sends the
    # filer back to the first unfinished step, saying what is missing.
    page.get_by_role("navigation", name="Filing steps").get_by_role(
        "link", name="Review and submit"
    ).click()
    expect(
        page.get_by_text("before you go on to \u201cReview and submit\u201d")
    ).to_be_visible()
    expect(page.get_by_text("Fill in \u201cRelief sought\u201d.")).to_be_visible()
    expect(page.get_by_role("heading", name="Details", level=2)).to_be_visible()
    page.get_by_role("navigation", name="Filing steps").get_by_role(
        "link", name="Earlier entries"
    ).click()

    # The earlier entry it refers to.
    expect(
        page.get_by_role("heading", name="Refer to earlier entries", level=2)
    ).to_be_visible()
    assert_accessible()
    page.get_by_label(re.compile(r"^Include 1 Chapter 7 Voluntary Petition")).check()
    page.get_by_role("button", name="Continue").click()

    # Event fields: the objection deadline defaults to 14 days.
    expect(page.get_by_role("heading", name="Details", level=2)).to_be_visible()
    assert_accessible()
    assert page.get_by_label("Last day to object").input_value() != ""
    page.get_by_label("Relief sought").select_option("Real Property")
    # Enter in a text field submits the step's primary button (Continue), not Back.
    page.get_by_label("Property or action").fill("4120 Ocean View Blvd")
    page.get_by_label("Property or action").press("Enter")

    # Fee: pay now.
    expect(page.get_by_text("Fee for this filing: $199.")).to_be_visible()
    assert_accessible()
    page.get_by_label("Pay now").check()
    page.get_by_role("button", name="Continue").click()

    # Review: the final docket text, then submit.
    expect(page.get_by_role("heading", name="Final docket text")).to_be_visible()
    assert_accessible()
    text = page.locator("#docket-text").inner_text()
    assert "Filed by Marcus Lee on behalf of Coastal Federal Credit Union." in text
    assert (
        "(RE: related document(s) 1 Chapter 7 Voluntary Petition for Individuals)"
        in text
    )
    assert (
        "(Attachments: # 1 Exhibit A Deed of Trust # 2 Proposed Order) Fee Amount $199"
        in text
    )
    acknowledge = page.get_by_label("I have reviewed these warnings")
    if acknowledge.count():
        acknowledge.check()
    page.get_by_role("button", name="Submit filing").click()

    # Payment through the test gateway.
    expect(page.get_by_role("heading", name="Pay a filing fee")).to_be_visible()
    assert_accessible()
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("heading", name="Test payment gateway")).to_be_visible()
    assert_accessible()
    page.get_by_label("Name on card").fill("Marcus Lee")
    page.get_by_label("Card number").fill("4111 1111 1111 1111")
    page.get_by_role("button", name="Pay $199").click()

    # The receipt (the NEF as it will be sent) shows the entry.
    expect(
        page.get_by_role("heading", name="Notice of Electronic Filing")
    ).to_be_visible()
    assert_accessible()
    entry = DocketEntry.objects.get(case=case, event__code="nmrp")
    assert entry.number == 2
    expect(page.locator("#document-number")).to_have_text("2")
    expect(page.locator("#docket-text")).to_have_text(entry.text)
    expect(page.get_by_text("Fee paid. Receipt number")).to_be_visible()
    assert entry.text.startswith(
        "Motion for Relief from Stay, Real Property: 4120 Ocean View Blvd. "
        "Objections due by "
    )
    assert Payment.objects.get(entry=entry).status == Payment.Status.PAID
    assert entry.documents.count() == 3

    # The docket page.
    docket_url = reverse("dockets:docket", kwargs={"case_id": case.pk})
    page.get_by_role(
        "link", name=f"View the docket of case {case.display_number}"
    ).click()
    page.wait_for_url(re.compile(re.escape(docket_url)))
    assert_accessible()
    expect(
        page.get_by_text(
            "Motion for Relief from Stay, Real Property: 4120 Ocean View Blvd."
        ).first
    ).to_be_visible()
    # The attachments are listed once, linked inside the docket text.
    assert page.content().count("(Attachments:") == 1
