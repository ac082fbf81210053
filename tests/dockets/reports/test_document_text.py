"""Text of every document (issue 24): extraction, OCR of scans, the plain-text view,
search inside documents, and the rules that keep sealed and restricted text private."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont
from testkit import wait_for

from dockets.clerk import services as clerk
from dockets.fulltext.models import DocumentPage, DocumentText
from dockets.fulltext.services import extract_document_text
from dockets.models import Document, Event, Visibility
from dockets.reports.entry_search import _prefix_query
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def scanned_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF holding only an image of printed text (no text layer), like a scan."""
    image = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 52)
    for i, line in enumerate(lines):
        draw.text((150, 300 + 110 * i), line, font=font, fill=0)
    image.save(path, "PDF", resolution=200.0)
    return path


def file_pdf(case, filer, path: Path, *, code="msj", visibility=None, parties=()):
    return file_docket_entry(
        FilingRequest(
            case=case,
            events=[Event.objects.get(code=code)],
            filer=filer,
            documents=[
                UploadedDocument.from_path(path, filename=path.name, page_count=1)
            ],
            visibility=visibility,
            parties=list(parties),
        )
    )


def _sha512(name: str) -> str:
    with default_storage.open(name, "rb") as fh:
        return hashlib.sha512(fh.read()).hexdigest()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_filed_scan_is_found_by_a_printed_word(
    world, tmp_path, celery_worker_process, client
):
    """A one-page image-only PDF, filed, stamped and recognised by a real worker on the
    text queue, is found within 60 s by a word printed on it; the files never change."""
    # A saved search of a word printed only on the scan: its owner is told by e-mail.
    from core.models import InboxMessage
    from dockets.alerts.services import follow

    follower = world.users["public"]
    follow(user=follower, kind="search", term="zebrawood")
    path = scanned_pdf(
        tmp_path / "scan.pdf",
        ["DECLARATION OF SERVICE", "Collateral: tractor serial zebrawood 4471"],
    )
    entry = file_pdf(world.case, world.users["attorney"], path)
    document = Document.objects.get(entry=entry)
    filed_digest = document.sha512
    row = wait_for(
        lambda: DocumentText.objects.filter(
            document=document, status=DocumentText.Status.DONE
        ).first(),
        timeout=60,
    )
    assert row.ocr_pages == 1 and row.pages_total == 1
    page = DocumentPage.objects.get(document=document)
    assert page.ocr and "zebrawood" in page.text.lower()

    html = client.get(reverse("dockets:search"), {"q": "zebrawood"}).content.decode()
    assert "<mark>zebrawood</mark>" in html, html
    assert f"Doc {entry.number}: Main Document</a>, page 1" in html
    in_case = client.get(
        reverse("dockets:case-search-text", kwargs={"case_id": world.case.pk}),
        {"q": "zebra*"},
    ).content.decode()
    assert "<mark>zebrawood</mark>" in in_case

    text = client.get(reverse("dockets:document-text", args=[document.pk]))
    assert text["Content-Type"].startswith("text/plain")
    assert "--- Page 1 of 1 (recognised from an image) ---" in text.content.decode()
    assert "zebrawood" in text.content.decode().lower()
    detail = client.get(reverse("dockets:document", args=[document.pk])).content
    assert b"Read the text of this document" in detail

    alert = wait_for(
        lambda: InboxMessage.objects.filter(
            user=follower, kind="alert", body_text__contains="zebrawood"
        ).first(),
        timeout=30,
    )
    assert "(page 1)" in alert.body_text

    document.refresh_from_db()
    assert document.sha512 == filed_digest == _sha512(document.original.name)
    assert document.stamped_sha512 == _sha512(document.stamped.name)


@pytest.mark.django_db
def test_sealed_document_text_is_found_by_the_clerk_and_nobody_else(
    world, file_entry, client, tmp_path
):
    from pdfmaker import make_pdf

    path = make_pdf(
        tmp_path / "sealed.pdf",
        text="Settlement with the quagmire holding company for 40,000 dollars.",
    )
    entry = file_pdf(world.case, world.users["attorney"], path, parties=[world.debtor])
    document = Document.objects.get(entry=entry)
    extract_document_text(document_id=document.pk)
    clerk.set_entry_visibility(
        entry=entry,
        clerk=world.users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order",
    )
    urls = (
        reverse("dockets:search"),
        reverse("dockets:case-search-text", kwargs={"case_id": world.case.pk}),
    )
    for role in ("anonymous", "public", "attorney", "creditor"):
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        for url in urls:
            html = client.get(url, {"q": "quagmire"}).content.decode()
            assert "quagmire</mark>" not in html, (role, url)
            assert "holding company" not in html, (role, url)
            assert "No document text matches" in html
        assert (
            client.get(reverse("dockets:document-text", args=[document.pk])).status_code
            == 404
        )
    client.force_login(world.users["clerk"])
    for url in urls:
        html = client.get(url, {"q": "quagmire"}).content.decode()
        assert "<mark>quagmire</mark>" in html, url
    text = client.get(reverse("dockets:document-text", args=[document.pk]))
    assert b"quagmire" in text.content


@pytest.mark.django_db
def test_public_text_pdf_is_read_without_ocr_and_searchable_by_phrase_prefix_exclusion(
    world, client, tmp_path
):
    from pdfmaker import make_pdf

    one = make_pdf(
        tmp_path / "a.pdf",
        text=[
            "The lessor holds a purchase money lien.",
            "Page two mentions walnut trees.",
        ],
        pages=2,
    )
    two = make_pdf(tmp_path / "b.pdf", text="A purchase of walnut groves in Fresno.")
    first = file_pdf(world.case, world.users["attorney"], one)
    second = file_pdf(world.case, world.users["attorney"], two)
    for entry in (first, second):
        row = extract_document_text(document_id=entry.documents.get().pk)
        assert row is not None
        assert row.status == DocumentText.Status.DONE and row.ocr_pages == 0
    url = reverse("dockets:search")

    def found(q):
        html = client.get(url, {"q": q}).content.decode()
        return {
            n
            for n in (first.number, second.number)
            if f"Doc {n}: Main Document" in html
        }

    assert found('"purchase money"') == {first.number}
    assert found("walnut -fresno") == {first.number}
    assert found("walnu*") == {first.number, second.number}
    html = client.get(url, {"q": "walnut trees"}).content.decode()
    assert f"Doc {first.number}: Main Document</a>, page 2" in html
    # Each hit links to its document's page and to its text.
    document = first.documents.get()
    document_url = reverse("dockets:document", args=[document.pk])
    assert f'<a href="{document_url}">{world.case.display_number} Doc' in html
    text_url = reverse("dockets:document-text", args=[document.pk])
    assert f'<a href="{text_url}">text</a>' in html


@pytest.mark.django_db
def test_document_text_search_within_a_case_stays_in_the_case(
    world, other_case, client, tmp_path
):
    """Searching the documents of one case shows that case's matching page and never a
    matching page of another case, which the court-wide search does find."""
    from pdfmaker import make_pdf

    other = other_case
    own = file_pdf(
        world.case,
        world.users["attorney"],
        make_pdf(tmp_path / "own.pdf", text="An ocelot sanctuary lease."),
    )
    theirs = file_pdf(
        other,
        world.users["attorney"],
        make_pdf(tmp_path / "theirs.pdf", text="An ocelot grooming invoice."),
    )
    for entry in (own, theirs):
        row = extract_document_text(document_id=entry.documents.get().pk)
        assert row is not None and row.status == DocumentText.Status.DONE
    in_case = client.get(
        reverse("dockets:case-search-text", kwargs={"case_id": world.case.pk}),
        {"q": "ocelot"},
    ).content.decode()
    assert "sanctuary" in in_case
    assert "grooming" not in in_case and other.display_number not in in_case
    court_wide = client.get(reverse("dockets:search"), {"q": "ocelot"}).content.decode()
    assert "sanctuary" in court_wide and "grooming" in court_wide


@pytest.mark.django_db
def test_form_121_is_never_text_indexed(world, client, tmp_path):
    from pdfmaker import make_pdf

    path = make_pdf(tmp_path / "ssn.pdf", text="SSN 512-34-5678 belongs to the debtor")
    entry = file_pdf(world.case, world.users["attorney"], path, code="ssn121")
    document = entry.documents.get()
    row = extract_document_text(document_id=document.pk)
    assert row is not None
    assert row.status == DocumentText.Status.NOT_INDEXED
    assert not DocumentPage.objects.filter(document=document).exists()
    client.force_login(world.users["clerk"])
    html = client.get(reverse("dockets:search"), {"q": "512-34-5678"}).content.decode()
    assert "No document text matches" in html


@override_settings(ECF_OCR_MAX_PAGES=0)
@pytest.mark.django_db
def test_image_pages_over_the_limit_are_left_unread_and_said_so(world, tmp_path):
    path = scanned_pdf(tmp_path / "scan.pdf", ["over the limit"])
    entry = file_pdf(world.case, world.users["attorney"], path)
    row = extract_document_text(document_id=entry.documents.get().pk)
    assert row is not None
    assert row.status == DocumentText.Status.DONE
    assert row.ocr_pages == 0 and row.ocr_skipped == 1
    assert "beyond the limit of 0" in row.error_message


def test_prefix_queries_keep_words_only():
    assert _prefix_query('"relief from" stay* -dismiss') == (
        "(relief <-> from) & stay:* & !dismiss"
    )
    assert _prefix_query("a* or b") == "a:* | b"
    assert _prefix_query("x*'):* | (") == "x:*"


@pytest.mark.django_db
def test_text_of_a_document_restricted_later_is_forgotten(world, client, tmp_path):
    from pdfmaker import make_pdf

    path = make_pdf(
        tmp_path / "pay.pdf", text="Pay advice account 99887766 of the debtor"
    )
    entry = file_pdf(world.case, world.users["attorney"], path)
    document = entry.documents.get()
    extract_document_text(document_id=document.pk)
    assert DocumentPage.objects.filter(document=document).exists()
    clerk.set_document_visibility(
        document=document,
        clerk=world.users["clerk"],
        visibility=Visibility.RESTRICTED,
        reason="Rule 9037",
    )
    assert not DocumentPage.objects.filter(document=document).exists()
    assert DocumentText.objects.get(document=document).status == "excluded"
    client.force_login(world.users["clerk"])
    html = client.get(reverse("dockets:search"), {"q": "99887766"}).content.decode()
    assert "No document text matches" in html
