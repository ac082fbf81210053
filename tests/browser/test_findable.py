"""Issue 24 pages in Chromium, axe-checked at 1280 and 375 px: search inside documents,
a document's text status and plain text, my alerts, and a case's ZIP progress."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pdfmaker import make_pdf
from playwright.sync_api import expect

from cases.models import Judge, Office, Trustee
from cases.services import create_case
from dockets.fulltext.services import extract_document_text
from dockets.models import Event
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> None:
    page.wait_for_load_state("load")  # not the half-loaded next page of a click
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    ), "the page scrolls sideways"


@pytest.mark.parametrize("width", [1280, 375])
def test_search_document_text_alerts_and_zip_pages(
    page, live_server, demo, assert_accessible, tmp_path, width
):
    from browserkit import login

    page.set_viewport_size({"width": width, "height": 900})
    users = demo.users
    court = demo.court
    case = create_case(
        court=court,
        office=Office.objects.get(court=court, number=3),
        chapter="7",
        title="Rosa M. Delgado",
        judge=Judge.objects.get(court=court, initials="LT"),
        trustee=Trustee.objects.get(court=court, kind=Trustee.Kind.PANEL_7),
        actor=users["attorney"],
    )
    path = make_pdf(
        tmp_path / "m.pdf", text="Declaration about the heliotrope orchard lease."
    )
    entry = file_docket_entry(
        FilingRequest(
            case=case,
            events=[Event.objects.get(code="msj")],
            filer=users["attorney"],
            documents=[
                UploadedDocument.from_path(path, filename="m.pdf", page_count=1)
            ],
        )
    )
    document = entry.documents.get()
    extract_document_text(document_id=document.pk)

    login(page, live_server, users["public"])
    page.goto(live_server.url + reverse("dockets:search"))
    page.get_by_label("Words in the docket text or in the documents").fill("heliotrope")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("mark").first).to_have_text("heliotrope")
    expect(page.get_by_text("page 1").first).to_be_visible()
    assert_accessible()
    _no_sideways_scroll(page)

    page.get_by_role("button", name="E-mail me new entries matching").click()
    expect(page.get_by_role("heading", level=1, name="My alerts")).to_be_visible()
    expect(page.get_by_text("heliotrope").first).to_be_visible()
    page.get_by_label("The name").fill("Pacific Tractor Finance")
    page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.get_by_text("Pacific Tractor Finance").first).to_be_visible()
    assert_accessible()
    _no_sideways_scroll(page)

    page.goto(live_server.url + reverse("dockets:document", args=[document.pk]))
    expect(page.get_by_role("heading", name="Text of this document")).to_be_visible()
    assert_accessible()
    page.get_by_role("link", name="Read the text of this document").click()
    expect(page.locator("body")).to_contain_text("heliotrope orchard")

    page.goto(live_server.url + reverse("dockets:docket", kwargs={"case_id": case.pk}))
    page.get_by_role("button", name="All public documents as one ZIP").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("as one ZIP")
    assert_accessible()
    _no_sideways_scroll(page)
