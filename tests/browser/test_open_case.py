"""An attorney opens a joint chapter 7 case, uploads the creditor matrix, and finds the case."""

import re
from pathlib import Path

import pytest
from browserkit import login
from django.urls import reverse
from pdfmaker import make_pdf
from playwright.sync_api import expect

from cases.models import Case, Party

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORPUS = Path(__file__).resolve().parent.parent / "cases" / "matrix_corpus"
FULL_SSNS = ("512-34-5678", "512345678", "523-45-6789", "523456789")


def assert_no_full_ssn(page):
    html = page.content()
    for ssn in FULL_SSNS:
        assert ssn not in html


def test_attorney_opens_joint_chapter_7_case_with_matrix(
    page, live_server, demo, assert_accessible, tmp_path
):
    petition = make_pdf(
        tmp_path / "petition.pdf",
        text="VOLUNTARY PETITION\nAna Ruiz and Luis Ruiz\n/s/ Dana M. Whitaker",
    )
    login(page, live_server, demo.users["attorney"])
    page.get_by_role("link", name="Open a case").click()
    expect(
        page.get_by_role("heading", level=1, name="Open a bankruptcy case")
    ).to_be_visible()
    assert_accessible()

    page.get_by_label("Chapter", exact=True).select_option("7")
    page.get_by_label("Joint petition (spouses filing together)").check()
    page.get_by_label("Debtor: full name", exact=True).fill("Ana Ruiz")
    page.get_by_label(
        "Debtor: SSN or ITIN (individual) or EIN (business)", exact=True
    ).fill("512-34-5678")
    page.get_by_label("Debtor: street address", exact=True).fill("12 Elm St")
    page.get_by_label("Debtor: city", exact=True).fill("San Diego")
    page.get_by_label("Debtor: state (2 letters)", exact=True).fill("CA")
    page.get_by_label("Debtor: ZIP code", exact=True).fill("92101")
    page.get_by_label("Debtor: county", exact=True).fill("San Diego")
    page.get_by_label(
        "Debtor: other names (one per line: aka, dba, fdba or fka, then the name)",
        exact=True,
    ).fill("aka Ana M. Ruiz")
    # First try: the joint debtor's SSN is mistyped; the page says so and keeps nothing.
    page.get_by_label("Joint debtor: full name").fill("Luis Ruiz")
    page.get_by_label("Joint debtor: SSN or ITIN (individual) or EIN (business)").fill(
        "523-45-678"
    )
    page.get_by_label("Petition (PDF)").set_input_files(str(petition))
    page.get_by_role("button", name="File the petition and open the case").click()
    expect(page.get_by_text("Nothing was saved")).to_be_visible()
    expect(page.get_by_text("has 9 digits")).to_be_visible()
    assert_no_full_ssn(page)
    assert_accessible()
    assert not Case.objects.exists()

    # The SSNs and the file are never sent back into the page: enter them again.
    page.get_by_label(
        "Debtor: SSN or ITIN (individual) or EIN (business)", exact=True
    ).fill("512-34-5678")
    page.get_by_label("Joint debtor: SSN or ITIN (individual) or EIN (business)").fill(
        "523-45-6789"
    )
    page.get_by_label("Petition (PDF)").set_input_files(str(petition))
    page.get_by_role("button", name="File the petition and open the case").click()

    case = Case.objects.get()
    expect(
        page.get_by_role("heading", level=1, name=f"Case {case.display_number} opened")
    ).to_be_visible()
    expect(
        page.get_by_text("Chapter 7 Voluntary Petition for Individuals")
    ).to_be_visible()
    expect(page.locator("dt:has-text('Docket entry') + dd")).to_have_text("1")
    assert re.fullmatch(r"\d\d-00001-(LT|CL)7", case.display_number)
    assert_no_full_ssn(page)
    assert_accessible()

    page.get_by_role("link", name="Upload the creditor matrix").click()
    assert_accessible()
    page.get_by_label("Creditor matrix (.txt)").set_input_files(
        str(CORPUS / "good_basic.txt")
    )
    page.get_by_role("button", name="Check the matrix").click()
    expect(page.get_by_text("Total creditors read: 5")).to_be_visible()
    assert_accessible()
    assert not Party.objects.filter(role=Party.Role.CREDITOR).exists()
    page.get_by_role("button", name="Add 5 creditors to the case").click()
    expect(
        page.get_by_text(f"5 creditors added to case {case.display_number}.")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.display_number)
    expect(page.get_by_text("xxx-xx-5678")).to_be_visible()
    expect(page.get_by_text("xxx-xx-6789")).to_be_visible()
    assert_no_full_ssn(page)
    assert_accessible()

    page.goto(live_server.url + reverse("cases:search"))
    page.get_by_label("Case number or party name").fill("ruiz")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=case.display_number)).to_be_visible()
    assert_no_full_ssn(page)
    assert_accessible()


def test_bad_matrix_lines_are_listed(
    page, live_server, demo, assert_accessible, tmp_path
):
    """A matrix with bad ZIP codes shows each bad line number; nothing is added."""
    from cases.services import PartyData
    from dockets.case_opening import PetitionRequest, open_voluntary_case
    from dockets.services import UploadedDocument

    pdf = UploadedDocument.from_path(
        make_pdf(tmp_path / "p.pdf"), filename="p.pdf", page_count=1
    )
    case = open_voluntary_case(
        PetitionRequest(
            filer=demo.users["attorney"],
            office=demo.court.offices.get(number=3),
            chapter="13",
            petition=pdf,
            debtors=[
                PartyData(
                    role="",
                    name="Bo Chen",
                    tax_id_kind="ssn",
                    tax_id_digits="534567890",
                )
            ],
        )
    ).case
    login(page, live_server, demo.users["attorney"])
    page.goto(
        live_server.url + reverse("dockets:matrix-upload", kwargs={"case_id": case.pk})
    )
    page.get_by_label("Creditor matrix (.txt)").set_input_files(
        str(CORPUS / "bad_zip.txt")
    )
    page.get_by_role("button", name="Check the matrix").click()
    expect(page.get_by_text("4 problems found. Nothing was saved.")).to_be_visible()
    for line in ("3", "7", "11", "15"):
        expect(page.get_by_role("cell", name=line, exact=True)).to_be_visible()
    assert_accessible()
    assert not case.parties.filter(role=Party.Role.CREDITOR).exists()


def test_clerk_adds_a_creditor_committee(
    page, live_server, demo, assert_accessible, tmp_path
):
    from cases.services import PartyData
    from dockets.case_opening import PetitionRequest, open_voluntary_case
    from dockets.services import UploadedDocument

    pdf = UploadedDocument.from_path(
        make_pdf(tmp_path / "p.pdf"), filename="p.pdf", page_count=1
    )
    case = open_voluntary_case(
        PetitionRequest(
            filer=demo.users["attorney"],
            office=demo.court.offices.get(number=3),
            chapter="11",
            petition=pdf,
            debtors=[
                PartyData(
                    role="",
                    name="Harbor Lines, Inc.",
                    is_entity=True,
                    tax_id_kind="ein",
                    tax_id_digits="331234567",
                )
            ],
        )
    ).case
    login(page, live_server, demo.users["clerk"])
    page.goto(live_server.url + reverse("cases:summary", kwargs={"case_id": case.pk}))
    assert_accessible()
    page.get_by_role("link", name="Add or terminate parties").click()
    assert_accessible()
    page.get_by_label("Role").select_option(label="Creditor Committee")
    page.get_by_label("Name", exact=True).fill(
        "Official Committee of Unsecured Creditors"
    )
    page.get_by_role("button", name="Add the party").click()
    expect(
        page.get_by_text(
            "Official Committee of Unsecured Creditors added as Creditor Committee."
        )
    ).to_be_visible()
    page.get_by_role(
        "button",
        name="Terminate Official Committee of Unsecured Creditors (Creditor Committee)",
    ).click()
    expect(
        page.get_by_text("Official Committee of Unsecured Creditors terminated.")
    ).to_be_visible()
    assert_accessible()
