"""Whole-docket exports (CSV, HTML, PDF sheet), the Query menu, mailing matrix,
associated cases, deadlines and the CM/ECF-compatible /cgi-bin/ addresses."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from reports_helpers import bulk_entries

from cases.models import Case, Deadline
from dockets.clerk import services as clerk
from dockets.models import Visibility
from dockets.reports.models import DocketSheetJob
from dockets.reports.sheets import make_docket_sheet, request_docket_sheet

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_csv_export_streams_every_entry_with_sealed_text_hidden(
    world, file_entry, client
):
    bulk_entries(world.case, 2500)
    sealed = file_entry(
        world.case,
        "msj",
        world.users["attorney"],
        text_override="Sealed KESTREL-9 motion.",
    )
    clerk.set_entry_visibility(
        entry=sealed,
        clerk=world.users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order",
    )
    response = client.get(
        reverse("dockets:docket-csv", kwargs={"case_id": world.case.pk})
    )
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(_body(response))))
    assert rows[0] == [
        "Filing Date",
        "#",
        "Docket Text",
        "Entered",
        "Document",
        "Attachments",
    ]
    assert len(rows) == 1 + 2501
    assert [r[1] for r in rows[1:4]] == ["1", "2", "3"]
    last = rows[-1]
    assert (
        last[1] == str(sealed.number)
        and last[2] == "**SEALED DOCUMENT**"
        and last[4] == ""
    )
    assert "KESTREL-9" not in "".join(",".join(r) for r in rows)


def test_csv_export_never_starts_a_cell_with_a_formula(world, file_entry, client):
    file_entry(
        world.case,
        "msj",
        world.users["attorney"],
        text_override="=cmd|' /C calc'!A0 motion",
    )
    response = client.get(
        reverse("dockets:docket-csv", kwargs={"case_id": world.case.pk})
    )
    rows = list(csv.reader(io.StringIO(_body(response))))
    assert any(row[2].startswith("'=cmd|") for row in rows[1:])
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_csv_export_honours_sort_and_number_range(world, client):
    bulk_entries(world.case, 30)
    url = (
        reverse("dockets:docket-csv", kwargs={"case_id": world.case.pk})
        + "?sort=newest&number_from=5&number_to=7"
    )
    rows = list(csv.reader(io.StringIO(_body(client.get(url)))))
    assert [r[1] for r in rows[1:]] == ["7", "6", "5"]


def test_html_export_is_the_whole_docket_on_one_page(world, file_entry, client):
    bulk_entries(world.case, 1200)
    entry = file_entry(
        world.case, "msj", world.users["attorney"], attachments=["Exhibit 1"]
    )
    response = client.get(
        reverse("dockets:docket-html", kwargs={"case_id": world.case.pk})
    )
    html = _body(response)
    assert response.streaming
    assert "Bankruptcy Petition #:" in html and "<u>Debtor</u>" in html
    assert len(re.findall(r"<tr><td>\d\d/\d\d/\d{4}</td>", html)) == 1201
    main = entry.documents.get(sequence=0)
    assert (
        f'<a href="{reverse("dockets:document", kwargs={"document_id": main.pk})}">{entry.number}</a>'
        in html
    )
    assert html.rstrip().endswith("</html>")


def test_pdf_sheet_is_made_with_progress_and_served_until_the_docket_changes(
    world, file_entry, client, django_capture_on_commit_callbacks
):
    """Asking queues the job; the status page shows a progress bar, then the download link."""
    entry = file_entry(
        world.case,
        "msj",
        world.users["attorney"],
        text_override="Motion PELICAN-3 to sell.",
    )
    bulk_entries(world.case, 20)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("dockets:docket-pdf", kwargs={"case_id": world.case.pk})
        )
    assert len(callbacks) == 1  # the task is queued only after commit
    job = DocketSheetJob.objects.get()
    assert response.url == reverse(
        "dockets:docket-pdf-status", kwargs={"token": job.token}
    )
    page = client.get(response.url).content.decode()
    assert (
        "<progress" in page
        and 'http-equiv="refresh"' in page
        and "js/progress.js" in page
    )
    assert client.get(response.url + "?format=json").json()["status"] == "pending"

    make_docket_sheet(job=job)
    job.refresh_from_db()
    assert (
        job.status == DocketSheetJob.Status.DONE and job.pages >= 1 and job.done == 21
    )
    page = client.get(response.url).content.decode()
    download = reverse("dockets:docket-pdf-download", kwargs={"token": job.token})
    assert download in page and "http-equiv" not in page
    pdf = client.get(download)
    data = b"".join(pdf.streaming_content)
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "PELICAN-3" in text and "Bankruptcy Petition #:" in text

    # A sealing after the sheet was made withdraws it.
    clerk.set_entry_visibility(
        entry=entry,
        clerk=world.users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order",
    )
    assert client.get(download).status_code == 404
    assert "no longer offered" in client.get(response.url).content.decode()


def test_pdf_sheet_of_a_large_docket_is_made_in_slabs(world, monkeypatch):
    import dockets.reports.sheets as sheets

    monkeypatch.setattr(sheets, "SLAB", 40)
    bulk_entries(world.case, 100)
    job = request_docket_sheet(case=world.case, user=None)
    make_docket_sheet(job=job)
    job.refresh_from_db()
    assert (
        job.status == "done"
        and job.done == 100
        and job.percent == 100
        and job.pages >= 3
    )


def test_pdf_sheet_prints_filing_date_number_and_text_in_three_columns(world):
    """CM/ECF's Filing Date | # | Docket Text: every entry's date, number and text
    start at the same three x positions, and the file reads them in that order."""
    from pypdf import PdfReader

    bulk_entries(world.case, 30)
    job = request_docket_sheet(case=world.case, user=None)
    make_docket_sheet(job=job)
    with job.file.open("rb") as fh:
        pieces: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, font, size):
            if text.strip():
                x, y = cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]
                pieces.append((round(x, 1), round(y, 1), text.strip()))

        text = "".join(
            page.extract_text(visitor_text=visit) for page in PdfReader(fh).pages
        )
    rows = [
        (pieces[i][0], pieces[i + 1][0], pieces[i + 2][0])
        for i in range(len(pieces) - 2)
        if re.fullmatch(r"\d\d/\d\d/\d{4}", pieces[i][2])
        and pieces[i + 1][2].isdigit()
        and pieces[i + 2][2].startswith("Notice")
        and pieces[i][1] == pieces[i + 1][1] == pieces[i + 2][1]  # one line
    ]
    assert len(rows) == 30, pieces
    columns = [sorted({row[k] for row in rows}) for k in range(3)]
    assert all(len(column) == 1 for column in columns), columns
    date_x, number_x, text_x = (column[0] for column in columns)
    assert date_x + 50 < number_x < text_x - 20, columns
    last = world.case.entries.order_by("-seq").first()
    assert re.search(
        rf"{last.filed_date:%m/%d/%Y} {last.number} {re.escape(last.text[:30])}",
        " ".join(text.split()),
    )


def test_sheet_of_sealed_entry_never_carries_its_text(world, file_entry):
    entry = file_entry(
        world.case,
        "msj",
        world.users["attorney"],
        text_override="Sealed HERON-5 motion.",
    )
    clerk.set_entry_visibility(
        entry=entry,
        clerk=world.users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order",
    )
    job = request_docket_sheet(case=world.case, user=world.users["clerk"])
    make_docket_sheet(job=job)
    job.refresh_from_db()
    from pypdf import PdfReader

    with job.file.open("rb") as fh:
        text = "".join(p.extract_text() for p in PdfReader(fh).pages)
    assert "HERON-5" not in text and "SEALED DOCUMENT" in text


def test_query_menu_links_every_case_report(world, client):
    html = client.get(
        reverse("dockets:query", kwargs={"case_id": world.case.pk})
    ).content.decode()
    for name in (
        "dockets:docket",
        "dockets:mailing-matrix",
        "dockets:associated-cases",
        "dockets:deadlines",
        "cases:summary",
        "dockets:claims-register",
    ):
        assert reverse(name, kwargs={"case_id": world.case.pk}) in html, name
    for label in (
        "Associated Cases",
        "Case Summary",
        "Claims Register",
        "Deadline/Schedule",
        "Docket Report",
        "Mailing Matrix by Case",
    ):
        assert label in html


def test_raw_mailing_matrix_is_pipe_delimited_as_cmecf(world, client):
    url = reverse("dockets:mailing-matrix", kwargs={"case_id": world.case.pk})
    response = client.get(url + "?format=raw")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith(
        f"1|Label Matrix for local noticing|casb-3|Case {world.case.long_number}|"
        "Southern District of California|San Diego|"
    )
    assert (
        lines[1] == "2|Maria L. Gonzalez|4120 Ocean View Blvd|San Diego, CA 92113||||"
    )
    assert (
        "3|Coastal Federal Credit Union|P.O. Box 9000|San Diego, CA 92169||||" in lines
    )
    assert (
        lines[-1]
        == f"{len(lines)}|End of Label Matrix|Total addresses {len(lines) - 2}|||||"
    )
    assert all(line.count("|") == 7 for line in lines)
    formatted = client.get(url).content.decode()
    assert (
        "<address>Maria L. Gonzalez<br>4120 Ocean View Blvd<br>San Diego, CA 92113</address>"
        in formatted
    )


def test_associated_cases_and_deadlines_pages(world, client):
    adversary = Case.objects.create(
        court=world.case.court,
        office=world.case.office,
        year=world.case.year,
        case_type="ap",
        number=90001,
        title="Trustee v. Gonzalez",
        judge=world.case.judge,
        lead_case=world.case,
        date_filed=world.case.date_filed,
    )
    html = client.get(
        reverse("dockets:associated-cases", kwargs={"case_id": world.case.pk})
    ).content.decode()
    assert adversary.display_number in html and "Trustee v. Gonzalez" in html
    Deadline.objects.create(
        case=world.case,
        kind="hearing",
        label="Hearing on motion for relief",
        due_at="2026-12-01T18:30:00Z",
        location="Courtroom 1",
    )
    html = client.get(
        reverse("dockets:deadlines", kwargs={"case_id": world.case.pk})
    ).content.decode()
    assert "Hearing on motion for relief" in html and "12/01/2026 10:30 AM" in html


def test_cgi_bin_addresses_answer_without_redirecting(world, client):
    """Every CM/ECF address answers itself (200, CM/ECF markup), never a redirect."""
    cid = world.case.pk
    for path in (
        f"/cgi-bin/DktRpt.pl?{cid}",
        f"/cgi-bin/DktRpt.pl?{cid}-L_1_0-1",
        f"/cgi-bin/iquery.pl?{cid}",
        f"/cgi-bin/CredMatrixCase.pl?{cid}",
        f"/cgi-bin/SearchClaims.pl?{cid}",
        f"/cgi-bin/mobile_query.pl?{cid}",
        "/cgi-bin/rss_outside.pl",
        f"/cgi-bin/possible_case_numbers.pl?{world.case.format_number('short')}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.has_header("Location"), path
    assert client.get("/cgi-bin/DktRpt.pl?nonsense").status_code == 404
    bulk_entries(world.case, 7)
    assert (
        '<span class="ui-li-count" id="entry-count">7</span>'
        in client.get(f"/cgi-bin/mobile_query.pl?{cid}").content.decode()
    )
    rss = client.get("/cgi-bin/rss_outside.pl")
    assert rss.status_code == 200 and b"<rss" in rss.content


def test_possible_case_numbers_returns_xml(world, client):
    number = world.case.format_number("short")
    response = client.get(f"/cgi-bin/possible_case_numbers.pl?{number}")
    assert response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    assert f"<case number='{world.case.long_number}' id='{world.case.pk}'" in body
    assert "Maria L. Gonzalez" in body
    assert (
        "Cannot find case."
        in client.get("/cgi-bin/possible_case_numbers.pl?99-99999").content.decode()
    )
    assert (
        "Not a case number"
        in client.get("/cgi-bin/possible_case_numbers.pl?hello").content.decode()
    )
