"""A member of the public finds a case by the debtor's name, reads its docket, opens a
document, and sees no link to a sealed entry's document; the other public pages pass
the accessibility check too."""

from __future__ import annotations

from pathlib import Path

import pytest
from browserkit import CSP_ENFORCED
from django.urls import reverse
from pdfmaker import make_pdf
from playwright.sync_api import expect

from cases.models import Judge, Office, Party, Trustee
from cases.services import PartyData, add_party, create_case
from dockets.clerk import services as clerk
from dockets.models import Event, Visibility
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "CORMORANT-SEALED-88"


def _file(case, filer, tmp_path: Path, name: str, text: str):
    path = make_pdf(tmp_path / f"{name}.pdf", text=text)
    return file_docket_entry(
        FilingRequest(
            case=case,
            events=[Event.objects.get(code="msj")],
            filer=filer,
            documents=[
                UploadedDocument.from_path(path, filename=f"{name}.pdf", page_count=1)
            ],
            text_override=text,
        )
    )


@CSP_ENFORCED
def test_public_reader_finds_a_case_reads_the_docket_and_opens_a_document(
    page, live_server, demo, assert_accessible, tmp_path
):
    users = demo.users
    court = demo.court
    case = create_case(
        court=court,
        office=Office.objects.get(court=court, number=3),
        chapter="7",
        title="Evelyn R. Castellanos",
        judge=Judge.objects.get(court=court, initials="LT"),
        trustee=Trustee.objects.get(court=court, kind=Trustee.Kind.PANEL_7),
        actor=users["attorney"],
    )
    add_party(
        case=case,
        data=PartyData(
            role=Party.Role.DEBTOR,
            name="Evelyn R. Castellanos",
            address_lines=["12 Palm Ave"],
            city="San Diego",
            state="CA",
            zip_code="92101",
        ),
    )
    public = _file(
        case,
        users["attorney"],
        tmp_path,
        "public",
        "Motion to Avoid Lien on the family home.",
    )
    sealed = _file(
        case, users["attorney"], tmp_path, "sealed", f"Motion under seal. {SECRET}"
    )
    clerk.set_entry_visibility(
        entry=sealed,
        clerk=users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order 4",
    )
    sealed_link = reverse(
        "dockets:document", kwargs={"document_id": sealed.documents.get().pk}
    )

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Find a case").first.click()
    page.get_by_label("Case number or party name").fill("Castellanos")
    page.get_by_role("button", name="Search").click()
    assert_accessible()
    page.get_by_role("link", name=case.display_number).click()
    page.get_by_role("link", name="Docket report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Bankruptcy Petition #: {case.display_number}"
    )
    expect(page.get_by_role("columnheader", name="Docket Text")).to_be_visible()
    expect(page.get_by_text("**SEALED DOCUMENT**")).to_be_visible()
    html = page.content()
    assert SECRET not in html and sealed_link not in html
    assert_accessible()

    # The report options work without JavaScript-only widgets.
    page.get_by_text("Report options").click()
    page.get_by_label("Sort by").select_option("newest")
    page.get_by_role("button", name="Run report").click()
    first_number = page.locator("table.docket-table tr").nth(1).locator("td").nth(1)
    expect(first_number).to_contain_text(str(sealed.number))
    assert_accessible()

    page.get_by_role("link", name=str(public.number), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert f"/documents/{public.documents.get().pk}/" in page.url
    assert_accessible()

    # Search, query menu, mailing matrix and the PDF docket sheet's progress page.
    page.goto(live_server.url + reverse("dockets:search"))
    page.get_by_label("Words in the docket text").fill("avoid lien")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("mark").first).to_be_visible()
    assert SECRET not in page.content()
    assert_accessible()

    page.goto(live_server.url + reverse("dockets:query", kwargs={"case_id": case.pk}))
    assert_accessible()
    page.get_by_role("link", name="Mailing Matrix by Case", exact=True).click()
    expect(page.get_by_text("Evelyn R. Castellanos").first).to_be_visible()
    assert_accessible()

    page.goto(
        live_server.url + reverse("dockets:docket-pdf", kwargs={"case_id": case.pk})
    )
    assert_accessible()
    page.get_by_role("button", name="Make the PDF").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    assert_accessible()


def test_attorney_follows_a_case_and_runs_the_reports(
    page, live_server, demo, assert_accessible
):
    from browserkit import login

    court = demo.court
    case = create_case(
        court=court,
        office=Office.objects.get(court=court, number=3),
        chapter="13",
        title="Harold P. Jennings",
        judge=Judge.objects.get(court=court, initials="LT"),
        actor=demo.users["attorney"],
    )
    login(page, live_server, demo.users["attorney"])
    page.goto(live_server.url + reverse("dockets:docket", kwargs={"case_id": case.pk}))
    page.get_by_role("button", name="Follow this case").click()
    expect(page.get_by_role("button", name="Stop following this case")).to_be_visible()
    expect(page.get_by_text("You now follow")).to_be_visible()
    assert_accessible()

    page.get_by_role("link", name="Reports").first.click()
    expect(page.get_by_role("heading", level=1, name="Reports")).to_be_visible()
    assert_accessible()
    for label in (
        "Cases filed",
        "Docket activity",
        "Claims activity",
        "Hearing calendar",
    ):
        page.goto(live_server.url + reverse("dockets:report-index"))
        page.get_by_role("link", name=label).click()
        expect(page.get_by_role("heading", level=1, name=label)).to_be_visible()
        page.get_by_role("button", name="Run report").click()
        assert_accessible()
    page.goto(live_server.url + reverse("dockets:report-cases-filed"))
    expect(page.get_by_role("link", name=case.display_number)).to_be_visible()
