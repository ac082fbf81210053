"""After an attorney files, the trustee finds the NEF in the inbox and opens the document
through its link; the filer then sees on the receipt that the trustee's NEF was
delivered and opened."""

import pytest
from browserkit import login
from django.urls import reverse
from factories import chapter7_case, gonzalez_debtor
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

from cases.models import Party, Representation
from dockets.models import Event, Notice
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _file_motion(demo, tmp_path):
    users = demo.users
    case = chapter7_case(
        demo,
        actor=users["attorney"],
        debtor=gonzalez_debtor(),
    )
    debtor = case.parties.get(role=Party.Role.DEBTOR)
    Representation.objects.create(
        case=case, party=debtor, attorney=users["attorney"], notice=True
    )
    path = tmp_path / "motion.pdf"
    pdf = canvas.Canvas(str(path))
    for page in range(2):
        pdf.drawString(72, 700, f"Motion to Extend Time, page {page + 1}")
        pdf.showPage()
    pdf.save()
    return file_docket_entry(
        FilingRequest(
            case=case,
            events=[Event.objects.get(code="extime")],
            filer=users["attorney"],
            parties=[debtor],
            documents=[
                UploadedDocument.from_path(path, filename="motion.pdf", page_count=2)
            ],
            fields={"extend_what": "file schedules"},
        )
    )


def test_trustee_opens_the_nef_and_the_filer_sees_it_opened(
    page, live_server, demo, settings, tmp_path, eager_tasks, assert_accessible
):
    settings.ECF_SITE_URL = live_server.url
    entry = _file_motion(demo, tmp_path)
    assert entry.notices.get().status == Notice.Status.DONE
    case_number = entry.case.display_number

    trustee = demo.users["trustee"]
    login(page, live_server, trustee)
    page.goto(live_server.url + reverse("core:inbox"))
    assert_accessible()
    page.get_by_role("link", name=case_number).first.click()
    expect(page.get_by_text("Notice of Electronic Filing", exact=True)).to_be_visible()
    expect(page.get_by_text("Electronic document Stamp:")).to_be_visible()
    assert_accessible()
    # As in CM/ECF, the NEF's document link is /doc1/<id>?magic_num=...: the free look
    # opens the stamped PDF itself and records that the recipient opened it.
    href = page.get_by_role("link", name="Open Main Document").get_attribute("href")
    assert "/doc1/" in href and "magic_num=" in href
    opened = page.request.get(href)
    assert opened.status == 200
    assert opened.headers["content-type"] == "application/pdf"
    assert opened.body().startswith(b"%PDF")
    main = entry.documents.get(sequence=0)
    page.goto(
        live_server.url + reverse("dockets:document", kwargs={"document_id": main.pk})
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"{case_number} Doc {entry.number}"
    )
    expect(page.get_by_text("CASBStamp_ID=")).to_be_visible()
    expect(
        page.get_by_role("link", name="Download the stamped copy (PDF)")
    ).to_be_visible()
    assert_accessible()

    page.context.clear_cookies()
    login(page, live_server, demo.users["attorney"])
    page.goto(
        live_server.url
        + reverse("dockets:entry-receipt", kwargs={"entry_id": entry.pk})
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(case_number)
    row = page.get_by_role("row").filter(has_text="Gerald H. Davis")
    expect(row).to_contain_text("Sent")
    expect(row).to_contain_text("Opened")
    expect(
        page.get_by_role("row").filter(has_text="ustrustee@ecf.test")
    ).to_contain_text("Not opened")
    assert_accessible()


def test_clerk_retries_a_failed_stamp_and_anyone_verifies_a_digest(
    page, live_server, demo, settings, tmp_path, eager_tasks, assert_accessible
):
    from dockets.pipeline.services import mark_document_failed, record_bounce

    settings.ECF_SITE_URL = live_server.url
    entry = _file_motion(demo, tmp_path)
    document = entry.documents.get()
    stamped_digest = document.stamped_sha512
    # Pretend the stamping had failed; the clerk retries.
    from dockets.models import Document

    Document.objects.filter(pk=document.pk).update(status="pending")
    mark_document_failed(
        document_id=document.pk, reason="The file store was unreachable"
    )
    record_bounce(email="trustee@ecf.test", reason="550 mailbox full")

    page.goto(live_server.url + reverse("dockets:verify"))
    assert_accessible()
    page.get_by_label("Or paste a SHA-512 digest").fill(stamped_digest)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("status")).to_contain_text("stamped copy")
    assert_accessible()
    page.get_by_label("Or paste a SHA-512 digest").fill("not a digest")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("128 characters")

    login(page, live_server, demo.users["clerk"])
    page.goto(live_server.url + reverse("dockets:bounces"))
    expect(page.get_by_role("row").filter(has_text="550 mailbox full")).to_contain_text(
        "trustee@ecf.test"
    )
    assert_accessible()
    page.goto(live_server.url + reverse("dockets:pipeline-failures"))
    expect(page.get_by_text("The file store was unreachable")).to_be_visible()
    assert_accessible()
    page.get_by_role("button", name="Retry stamping Main Document").click()
    expect(page.get_by_text("queued for stamping again")).to_be_visible()
    expect(page.get_by_text("No failed documents.")).to_be_visible()
    assert_accessible()
