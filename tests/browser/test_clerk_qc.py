"""The clerk reviews a filing in the QC queue, finds the wrong PDF, dockets a corrective
entry and a deficiency notice; the filer sees both in the inbox and on the docket."""

import re
from pathlib import Path

import pytest
from browserkit import CSP_ENFORCED, login
from django.urls import reverse
from factories import chapter7_case
from pdfmaker import make_pdf
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _filing(demo, tmp_path):
    from cases.models import Party, Representation
    from dockets.models import Event
    from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

    attorney = demo.users["attorney"]
    case = chapter7_case(demo)
    debtor = case.parties.get(role=Party.Role.DEBTOR)
    Representation.objects.create(
        case=case, party=debtor, attorney=attorney, notice=True
    )
    # The filer attached the wrong PDF: a lease, not the motion the docket text names.
    path = make_pdf(
        Path(tmp_path) / "lease.pdf",
        text="RESIDENTIAL LEASE AGREEMENT\nLandlord and tenant agree",
    )
    entry = file_docket_entry(
        FilingRequest(
            case=case,
            events=[Event.objects.get(code="msj")],
            filer=attorney,
            parties=[debtor],
            documents=[
                UploadedDocument.from_path(path, filename="lease.pdf", page_count=1)
            ],
            findings=[
                {
                    "code": "no_signature",
                    "message": "No /s/ signature was found in the PDF.",
                    "page": None,
                    "overridden": True,
                }
            ],
        )
    )
    return case, entry


def test_clerk_corrects_a_filing_and_the_filer_sees_it(
    page, live_server, demo, assert_accessible, tmp_path
):
    case, entry = _filing(demo, tmp_path)
    login(page, live_server, demo.users["clerk"])

    page.get_by_role("link", name="QC queue").click()
    expect(
        page.get_by_role("heading", level=1, name="Quality control queue")
    ).to_be_visible()
    assert_accessible()
    row = page.get_by_role("row").filter(has_text=case.display_number)
    expect(row).to_contain_text("Motion for Summary Judgment")
    expect(row).to_contain_text("No /s/ signature was found in the PDF.")
    expect(row).to_contain_text("the filer saw this and went on")
    # The clerk opens the PDF inline and sees it is a lease, not the motion.
    href = row.get_by_role("link", name=re.compile("^Main Document")).get_attribute(
        "href"
    )
    pdf = page.request.get(live_server.url + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "inline" in pdf.headers["content-disposition"]

    row.get_by_role("link", name=re.compile("^Correct")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Correct docket entry #{entry.number}"
    )
    assert_accessible()
    page.get_by_label("Correction").select_option(
        "Incorrect PDF, Filer Notified to Refile"
    )
    page.get_by_label("Note to filer").fill("The PDF attached is a lease.")
    page.get_by_role("button", name="Docket corrective entry").click()
    expect(page.get_by_role("status")).to_contain_text("Corrective entry #2 docketed.")
    assert_accessible()

    page.get_by_role("link", name="Issue a deficiency notice").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Issue a deficiency notice"
    )
    assert_accessible()
    page.get_by_label("Deficiency", exact=False).first.select_option("pdf_mismatch")
    page.get_by_label("Deficient entry").select_option(str(entry.pk))
    page.get_by_role("button", name="Docket deficiency notice").click()
    expect(page.get_by_role("heading", level=1, name="Deficiencies")).to_be_visible()
    expect(
        page.get_by_role("row").filter(has_text=case.display_number)
    ).to_contain_text("PDF does not match docket text")
    assert_accessible()

    page.get_by_role("link", name="QC queue").click()
    expect(page.get_by_text("No filings match.")).to_be_visible()
    page.get_by_label("Status").select_option("reviewed")
    page.get_by_role("button", name="Show filings").click()
    expect(
        page.get_by_role("row", name=re.compile(f"#{entry.number} · msj"))
    ).to_contain_text("Reviewed by Alma D. Morales")
    page.get_by_role("button", name="Log out").click()

    # The filer is told once per clerk action: by the NEF of the entry each action
    # docketed (sent by the pipeline, tested in test_nef), not by a second message.
    from core.models import InboxMessage
    from dockets.models import DocketEntry
    from dockets.pipeline.recipients import recipients_for

    attorney = demo.users["attorney"]
    for code in ("corr", "defntc"):
        docketed = DocketEntry.objects.filter(case=case, event__code=code).get()
        assert attorney.pk in {a.user_id for a in recipients_for(docketed).electronic}
    assert not InboxMessage.objects.filter(
        user=attorney, kind="clerk", subject__icontains="Corrective entry"
    ).exists()
    login(page, live_server, attorney)

    # ... and on the docket.
    docket = reverse("dockets:docket", kwargs={"case_id": case.pk})
    page.goto(live_server.url + docket)
    assert_accessible()
    expect(
        page.get_by_text(
            re.compile("CORRECTIVE ENTRY: Incorrect PDF, Filer Notified to Refile")
        )
    ).to_be_visible()
    expect(
        page.get_by_text(
            re.compile("Notice of Deficient Filing: PDF does not match docket text")
        )
    ).to_be_visible()


@CSP_ENFORCED
def test_every_clerk_and_chambers_page_is_accessible(
    page, live_server, demo, assert_accessible, tmp_path
):
    """Each remaining clerk page, and the judge's orders pages, pass axe-core."""
    from dockets.clerk.services import issue_deficiency

    case, entry = _filing(demo, tmp_path)
    deficiency = issue_deficiency(
        case=case, clerk=demo.users["clerk"], kind="signature", entry=entry
    )
    login(page, live_server, demo.users["clerk"])
    for name, kwargs, heading in [
        ("dockets:clerk-dashboard", {}, "Clerk's dashboard"),
        ("dockets:entry-visibility", {"entry_id": entry.pk}, "Access to entry"),
        (
            "dockets:document-visibility",
            {"document_id": entry.documents.get().pk},
            "Access to Main Document",
        ),
        (
            "dockets:deficiency-action",
            {"deficiency_id": deficiency.pk},
            "Missing signature",
        ),
        ("dockets:court-event", {"case_id": case.pk}, "Docket a court event"),
        ("dockets:paper-filing", {"case_id": case.pk}, "Docket a paper filing"),
        ("dockets:audit-case", {"case_id": case.pk}, "Audit log of case"),
        ("dockets:audit-user", {"user_id": demo.users["attorney"].pk}, "Audit log of"),
        ("dockets:paper-petition", {}, "Docket a paper petition"),
    ]:
        page.goto(live_server.url + reverse(name, kwargs=kwargs))
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible()
    page.goto(
        live_server.url + reverse("dockets:court-event", kwargs={"case_id": case.pk})
    )
    page.get_by_label("Event").select_option("hrgset")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=2, name="Hearing Set")).to_be_visible()
    assert_accessible()
    page.get_by_label("Hearing date, time and place:", exact=True).fill(
        "2031-12-16T10:00"
    )
    page.get_by_label("Hearing date, time and place: place:", exact=True).fill(
        "Department 3"
    )
    page.get_by_label(f"#{entry.number} Motion for Summary Judgment").check()
    page.get_by_role("button", name="Docket the event").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Hearing Set docketed as an unnumbered entry."
    )
    assert_accessible()
    page.get_by_role("button", name="Log out").click()

    from dockets.models import Event
    from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

    path = make_pdf(
        Path(tmp_path) / "order.pdf", text="[PROPOSED] ORDER GRANTING MOTION"
    )
    motion = file_docket_entry(
        FilingRequest(
            case=case,
            events=[Event.objects.get(code="mseal")],
            filer=demo.users["attorney"],
            documents=[
                UploadedDocument.from_path(path, filename="motion.pdf", page_count=1),
                UploadedDocument.from_path(
                    path,
                    filename="order.pdf",
                    page_count=1,
                    description="Proposed Order",
                ),
            ],
        )
    )
    login(page, live_server, demo.users["judge"])
    page.get_by_role("link", name="Orders to sign").click()
    expect(page.get_by_role("heading", level=1, name="Orders to sign")).to_be_visible()
    assert_accessible()
    page.get_by_role("link", name=re.compile("^Review and sign")).click()
    assert_accessible()
    page.get_by_label("Disposition").select_option("Granting")
    page.get_by_role("button", name="Sign and docket the order").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Signed. Order on Motion docketed as entry"
    )
    expect(page.get_by_text("No proposed orders are waiting.")).to_be_visible()
    assert motion.referred_by.filter(event__code="order").exists()


# One line of text: the distinct tops of the rectangles of a node's text.
LINES_OF = """el => {
  const node = [...el.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
  const range = document.createRange();
  range.selectNodeContents(node);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_qc_queue_buttons_and_numbers_do_not_break(
    page, live_server, demo, assert_accessible, tmp_path, width
):
    """The "Mark reviewed" button stays on one line, case numbers and filing dates
    never break mid-number, and at 375 px the page does not scroll sideways."""
    case, _entry = _filing(demo, tmp_path)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, demo.users["clerk"])
    page.goto(live_server.url + reverse("dockets:qc-queue"))
    expect(
        page.get_by_role("heading", level=1, name="Quality control queue")
    ).to_be_visible()
    if width == 1280:
        assert_accessible()
    button = page.get_by_role("button", name=re.compile("^Mark reviewed"))
    expect(button).to_be_visible()
    assert button.evaluate(LINES_OF) == 1, "Mark reviewed wraps"
    assert button.evaluate("el => getComputedStyle(el).whiteSpace") == "nowrap"
    number = page.locator(".qc-table .case-number").first
    expect(number).to_have_text(case.display_number)
    assert number.evaluate("el => getComputedStyle(el).whiteSpace") == "nowrap"
    assert number.evaluate(LINES_OF) == 1, "the case number breaks"
    for date in page.locator(".qc-table .meta .nowrap").all():
        assert date.evaluate(LINES_OF) == 1, "a filing date or time breaks"
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    ), f"the QC queue scrolls sideways at {width} px"
