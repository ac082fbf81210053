"""Two more user groups walk their journey in Chromium and read the record it left:
a logged-in creditor files a proof of claim (the claims register and the claim's
docket text), and the chapter 7 trustee files a Report of No Distribution through
the wizard (the docket text). Each page is axe-checked at 1280 px; each journey's
last page is checked at 375 px for sideways scrolling. The debtor's own attorney
filing against the debtor is warned on the Parties step itself."""

from __future__ import annotations

import re

import pytest
from browserkit import CSP_ENFORCED, login
from django.urls import reverse
from factories import chapter7_case
from pdfmaker import make_pdf
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll_at_375(page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_load_state("load")  # not the half-loaded next page of a click
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    ), f"{page.url} scrolls sideways at 375 px"


def _case(demo, *, with_trustee_party: bool = False):
    from cases.models import Party
    from cases.services import PartyData, add_party

    case = chapter7_case(demo)
    if with_trustee_party:
        add_party(
            case=case,
            user=demo.users["trustee"],
            data=PartyData(role=Party.Role.TRUSTEE, name="Gerald H. Davis"),
        )
    return case


@CSP_ENFORCED
def test_creditor_files_a_proof_of_claim_and_reads_the_register(
    page, live_server, demo, assert_accessible, tmp_path
):
    from dockets.claims.models import Claim

    page.set_viewport_size({"width": 1280, "height": 900})
    case = _case(demo)
    login(page, live_server, demo.users["creditor"])
    page.goto(
        live_server.url
        + reverse("dockets:claims-register", kwargs={"case_id": case.pk})
    )
    expect(page.get_by_role("heading", level=1, name="Claims Register")).to_be_visible()
    assert_accessible()
    page.get_by_role("link", name="File a Proof of Claim").click()
    expect(page.get_by_role("button", name="File claim")).to_be_visible()
    assert_accessible()

    page.get_by_label(re.compile(r"^Creditor name")).fill(
        "Coastal Federal Credit Union"
    )
    page.get_by_label(re.compile(r"^Notice address")).fill(
        "Attn: Bankruptcy Dept\nP.O. Box 9000\nSan Diego, CA 92169"
    )
    page.get_by_label(re.compile(r"^Amount of the claim")).fill("12,500.00")
    page.get_by_label(re.compile(r"^Secured amount")).fill("10,000")
    page.get_by_label(re.compile(r"^Unsecured amount")).fill("2,500")
    page.get_by_label(re.compile(r"^Basis of the claim")).fill("Automobile loan")
    page.get_by_label(re.compile(r"^Last 4 digits of the account number")).fill("1234")
    page.get_by_label(re.compile(r"^Supporting documents \(PDF\)")).set_input_files(
        str(make_pdf(tmp_path / "Loan agreement.pdf", text="Loan agreement 1234"))
    )
    redaction = page.get_by_label(re.compile("^I have redacted"))
    if redaction.count():
        redaction.check()
    page.get_by_role("button", name="File claim").click()

    expect(page.get_by_text(re.compile(r"Claim 1-1 filed in case"))).to_be_visible()
    assert_accessible()
    claim = Claim.objects.get(case=case)
    entry = claim.versions.get().entry
    assert entry is not None
    assert entry.text.startswith("Claim #1 filed by Coastal Federal Credit Union")
    assert "Amount claimed: $12,500. Claim No. 1-1." in entry.text
    assert "Amount secured: $10,000." in entry.text
    assert ".." not in entry.text and "Union, Coastal" not in entry.text

    page.goto(
        live_server.url
        + reverse("dockets:claims-register", kwargs={"case_id": case.pk})
    )
    row = page.get_by_role("article", name="Claim No. 1: Coastal Federal Credit Union")
    expect(row).to_be_visible()
    expect(row.get_by_role("table")).to_contain_text("$12,500")
    expect(row.get_by_role("table")).to_contain_text("$10,000")
    expect(row.get_by_role("table")).to_contain_text("$2,500")
    expect(row).to_contain_text(
        "Claim #1 filed by Coastal Federal Credit Union, Amount claimed: $12,500"
    )
    assert_accessible()
    _no_sideways_scroll_at_375(page)


@CSP_ENFORCED
def test_trustee_files_a_report_of_no_distribution_and_reads_the_docket(
    page, live_server, demo, assert_accessible
):
    from dockets.models import DocketEntry

    page.set_viewport_size({"width": 1280, "height": 900})
    case = _case(demo, with_trustee_party=True)
    login(page, live_server, demo.users["trustee"])
    page.goto(live_server.url + reverse("dockets:filing-start"))
    assert_accessible()
    page.get_by_label("Case number").fill(case.display_number)
    page.get_by_role("button", name="Next").click()

    expect(
        page.get_by_role("heading", name="Choose the event", level=2)
    ).to_be_visible()
    page.get_by_label("Search events by keyword or form number").fill("no distribution")
    page.get_by_role("button", name="Show events").click()
    assert_accessible()
    page.get_by_label(
        re.compile(r"^Chapter 7 Trustee's Report of No Distribution")
    ).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Parties", level=2)).to_be_visible()
    assert_accessible()
    page.get_by_role("group", name="Filing for").get_by_label("Gerald H. Davis").check()
    page.get_by_role("button", name="Continue").click()

    # No PDF for this event: the wizard goes on to earlier entries, then the fee.
    expect(
        page.get_by_role("heading", name="Refer to earlier entries", level=2)
    ).to_be_visible()
    assert_accessible()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Fee", level=2)).to_be_visible()
    assert_accessible()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Final docket text")).to_be_visible()
    assert_accessible()
    review_text = page.locator("#docket-text").inner_text()
    page.get_by_role("button", name="Submit filing").click()

    expect(
        page.get_by_role("heading", name="Notice of Electronic Filing")
    ).to_be_visible()
    assert_accessible()
    entry = DocketEntry.objects.get(case=case, event__code="ndr")
    expect(page.locator("#docket-text")).to_have_text(entry.text)
    assert entry.text == review_text.strip()
    assert entry.text.startswith(
        "Chapter 7 Trustee's Report of No Distribution: the trustee has found no "
        "property available for distribution from the estate."
    )
    assert "Filed by Gerald H. Davis" in entry.text
    assert ".." not in entry.text and entry.text.endswith(".")

    page.get_by_role(
        "link", name=f"View the docket of case {case.display_number}"
    ).click()
    assert_accessible()
    expect(
        page.get_by_text("Chapter 7 Trustee's Report of No Distribution").first
    ).to_be_visible()
    expect(page.get_by_text("Filed by Gerald H. Davis").first).to_be_visible()
    _no_sideways_scroll_at_375(page)


def test_debtors_attorney_is_warned_of_the_conflict_at_the_parties_step(
    page, live_server, demo, assert_accessible
):
    from cases.models import Party, Representation
    from cases.services import PartyData, add_party

    page.set_viewport_size({"width": 1280, "height": 900})
    case = _case(demo)
    debtor = case.parties.get(role=Party.Role.DEBTOR)
    add_party(
        case=case,
        data=PartyData(
            role=Party.Role.CREDITOR,
            name="Coastal Federal Credit Union",
            is_entity=True,
        ),
    )
    Representation.objects.create(
        case=case, party=debtor, attorney=demo.users["attorney"]
    )
    login(page, live_server, demo.users["attorney"])
    page.goto(live_server.url + reverse("dockets:filing-start"))
    page.get_by_label("Case number").fill(case.display_number)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Search events by keyword or form number").fill(
        "relief from stay"
    )
    page.get_by_role("button", name="Show events").click()
    page.get_by_label(re.compile(r"^Motion for Relief From Stay \(Fee\)")).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("group", name="Filing for").get_by_label(
        "Coastal Federal Credit Union"
    ).check()
    page.get_by_role("group", name="Filed against").get_by_label(
        "Maria L. Gonzalez"
    ).check()
    page.get_by_role("button", name="Continue").click()

    # Still on Parties, with the warning, before any document is uploaded.
    expect(page.get_by_role("heading", name="Parties", level=2)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(
        "You represent Maria L. Gonzalez in this case"
    )
    assert_accessible()
    page.get_by_label(re.compile("^I have checked")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Documents", level=2)).to_be_visible()
