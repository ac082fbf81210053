"""The clerk's upload forms keep an accepted PDF across form errors (the held-upload
mechanism of dockets.uploads): "kept: name, N pages; remove", and the next submit
files it without choosing the file again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from pdfmaker import make_pdf

from dockets.models import DocketEntry

pytestmark = pytest.mark.django_db


def _kept_tokens(html: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="kept" value="([^"]+)"', html)


def test_replacement_keeps_the_pdf_across_a_missing_reason(
    world, file_entry, client, tmp_path
):
    entry = file_entry(world.case, "msj", world.users["attorney"], text="WRONG")
    client.force_login(world.users["clerk"])
    url = reverse("dockets:entry-correct", kwargs={"entry_id": entry.pk})
    data = {"action": "replace_document", "repl-document": entry.documents.get().pk}
    path = make_pdf(Path(tmp_path) / "right.pdf", text="RIGHT DOCUMENT")
    with path.open("rb") as fh:
        response = client.post(url, {**data, "repl-upload": fh, "repl-reason": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "kept: right.pdf, 1 page" in html
    assert entry.documents.count() == 1
    (token,) = _kept_tokens(html)
    response = client.post(
        url, {**data, "kept": token, "repl-reason": "Incorrect PDF attached"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = entry.documents.get(replaced=False)
    assert new.original_filename == "right.pdf" and new.page_count == 1
    # Removing the kept file means there is nothing to file: a plain refusal.
    response = client.post(url, {**data, "repl-reason": "again"})
    assert response.status_code == 400


def test_paper_filing_keeps_the_scan_across_a_missing_party_name(
    world, client, tmp_path
):
    client.force_login(world.users["clerk"])
    url = (
        reverse("dockets:paper-filing", kwargs={"case_id": world.case.pk})
        + "?event=ntcapr"
    )
    data = {"fee_status": "paid", "note": ""}
    path = make_pdf(Path(tmp_path) / "scan.pdf", text="NOTICE OF APPEARANCE")
    with path.open("rb") as fh:
        response = client.post(url, {**data, "party_name": "", "pdf": fh})
    html = response.content.decode()
    assert response.status_code == 400 and "kept: scan.pdf, 1 page" in html
    assert not DocketEntry.objects.filter(case=world.case).exists()
    (token,) = _kept_tokens(html)
    # The filer ticks "remove": the file is gone and the form asks for one again.
    html = client.post(
        url, {**data, "party_name": "", "kept": token, "drop": token}
    ).content.decode()
    assert "kept:" not in html
    with path.open("rb") as fh:
        html = client.post(url, {**data, "party_name": "", "pdf": fh}).content.decode()
    (token,) = _kept_tokens(html)
    response = client.post(
        url, {**data, "party_name": "Sharp Memorial Hospital", "kept": token}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = DocketEntry.objects.get(case=world.case)
    assert [d.original_filename for d in entry.documents.all()] == ["scan.pdf"]


def test_refused_scan_is_named_and_nothing_is_kept(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["clerk"])
    url = (
        reverse("dockets:paper-filing", kwargs={"case_id": world.case.pk})
        + "?event=ntcapr"
    )
    bad = SimpleUploadedFile("x.pdf", b"PK\x03\x04 zip", content_type="application/pdf")
    response = client.post(
        url, {"fee_status": "paid", "party_name": "Someone", "note": "", "pdf": bad}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "x.pdf:" in html and "kept:" not in html
    assert not DocketEntry.objects.filter(case=world.case).exists()
