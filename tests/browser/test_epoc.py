"""A creditor without a login files a proof of claim through ePOC; the public register shows it."""

import re

import pytest
from browserkit import CSP_ENFORCED, answer_human_check
from factories import chapter7_case
from pdfmaker import make_pdf
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@CSP_ENFORCED
def test_creditor_files_through_epoc_and_the_claim_is_on_the_register(
    page, live_server, demo, assert_accessible, tmp_path
):
    case = chapter7_case(demo)
    page.goto(f"{live_server.url}/cases/{case.pk}/claims/")
    expect(page.get_by_role("heading", level=1, name="Claims Register")).to_be_visible()
    assert_accessible()

    page.get_by_role("link", name="File a claim without a login (ePOC)").click()
    expect(
        page.get_by_role("heading", level=1, name="Electronic Proof of Claim (ePOC)")
    ).to_be_visible()
    assert_accessible()

    page.get_by_label(re.compile(r"^Creditor name")).fill("Sharp Memorial Hospital")
    page.get_by_label(re.compile(r"^Notice address")).fill(
        "7901 Frost Street\nSan Diego, CA 92123"
    )
    page.get_by_label(re.compile(r"^Amount of the claim")).fill("32,611.40")
    page.get_by_label(re.compile(r"^Secured amount")).fill("2,000")
    page.get_by_label(re.compile(r"^Unsecured amount")).fill(
        "30,611.39"
    )  # one cent short: refused
    page.get_by_label(re.compile(r"^Basis of the claim")).fill("Medical services")
    page.get_by_label(re.compile(r"^Last 4 digits of the account number")).fill("5521")
    page.get_by_label(re.compile(r"^Supporting documents \(PDF\)")).set_input_files(
        str(
            make_pdf(
                tmp_path / "Itemized statement.pdf",
                text="Itemized statement\nAccount ending 5521",
            )
        )
    )
    page.get_by_role("button", name="Review the claim").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The parts do not add up")
    assert_accessible()

    # The accepted file is kept with the form: the page does not ask for it again.
    expect(
        page.get_by_text(re.compile(r"kept: Itemized statement\.pdf, \d+ pages?"))
    ).to_be_visible()
    page.get_by_label(re.compile(r"^Unsecured amount")).fill("30,611.40")
    page.get_by_role("button", name="Review the claim").click()

    # The Form 410 the answers make is shown before signing.
    expect(
        page.get_by_role("heading", level=1, name="Review and sign your proof of claim")
    ).to_be_visible()
    preview = page.get_by_role("region", name="Official Form 410 as it will be filed")
    expect(preview).to_contain_text("Sharp Memorial Hospital")
    expect(preview).to_contain_text("Itemized statement")
    assert_accessible()
    page.get_by_label(re.compile(r"^Your name \(your signature\)")).fill("Ana Ruiz")
    page.get_by_label(re.compile("^I have redacted")).check()
    answer_human_check(page)
    page.get_by_role("button", name="Sign and file claim").click()

    expect(page.get_by_role("heading", level=1, name="Claim 1-1 filed")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("Download Main Document"))
    ).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("Download Itemized statement"))
    ).to_be_visible()
    assert_accessible()

    page.get_by_role("link", name=re.compile("View the claims register")).click()
    claim = page.get_by_role("article", name="Claim No. 1: Sharp Memorial Hospital")
    expect(claim).to_be_visible()
    expect(claim.get_by_role("table")).to_contain_text("$32,611.40")
    expect(claim.get_by_role("table")).to_contain_text("$2,000")
    expect(claim.get_by_role("table")).to_contain_text("$30,611.40")
    expect(claim).to_contain_text(
        "Claim #1 filed by Sharp Memorial Hospital, Amount claimed: $32,611.40"
    )
    totals = page.get_by_role(
        "table", name="Total amount claimed and allowed, by class"
    )
    expect(totals.get_by_role("row", name=re.compile("^Total"))).to_contain_text(
        "$32,611.40"
    )
    expect(page.get_by_text("Total Number Of Claims: 1")).to_be_visible()
    assert_accessible()


def test_certified_creditor_files_with_a_login_then_withdraws(
    page, live_server, demo, assert_accessible
):
    from browserkit import login

    case = chapter7_case(demo)
    login(page, live_server, demo.users["creditor"])
    page.goto(f"{live_server.url}/cases/{case.pk}/claims/")
    page.get_by_role("link", name="File a Proof of Claim").click()
    expect(
        page.get_by_role(
            "heading", level=1, name="File a Proof of Claim (Official Form 410)"
        )
    ).to_be_visible()
    assert_accessible()
    page.get_by_label(re.compile(r"^Creditor name")).fill(
        "Coastal Federal Credit Union"
    )
    page.get_by_label(re.compile(r"^Notice address")).fill(
        "P.O. Box 9000\nSan Diego, CA 92169"
    )
    page.get_by_label(re.compile(r"^Amount of the claim")).fill("1,250.00")
    page.get_by_label(re.compile(r"^Unsecured amount")).fill("1,250")
    page.get_by_label(re.compile(r"^Basis of the claim")).fill(
        "Credit card, account 4111 1111 1111 1111"
    )
    page.get_by_role("button", name="File claim").click()
    expect(page.get_by_role("alert")).to_contain_text("9037")
    assert_accessible()
    page.get_by_label(re.compile(r"^Basis of the claim")).fill(
        "Credit card, account ending 1111"
    )
    page.get_by_role("button", name="File claim").click()

    expect(
        page.get_by_role("heading", level=1, name=re.compile("Claim 1-1 in case"))
    ).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Claim 1-1 filed")
    assert_accessible()
    page.get_by_role("link", name="Withdraw this claim").click()
    assert_accessible()
    page.get_by_label(re.compile("^I withdraw this claim")).check()
    page.get_by_role("button", name="Withdraw claim").click()
    expect(page.get_by_role("article", name=re.compile("Claim No. 1"))).to_contain_text(
        "Withdrawn"
    )
    expect(page.get_by_role("article", name=re.compile("Claim No. 1"))).to_contain_text(
        "Withdrawal of Claim 1-1"
    )
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My claims"
    ).click()
    expect(page.get_by_role("heading", level=1, name="My claims")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("1-1"))).to_contain_text("Withdrawn")
    assert_accessible()
