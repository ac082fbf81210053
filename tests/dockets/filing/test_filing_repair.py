"""Repaired copies: offered for review, used only when the filer accepts them."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEXT = "In re Maria L. Gonzalez, Debtor.\nMOTION\n/s/ Marcus Lee"


def test_oversized_pages_are_filed_only_as_the_accepted_repaired_copy(
    client, demo, setup, tmp_path, file_relief_motion
):
    """A file refused only for page size gets a repaired copy; filing waits until the filer accepts it."""
    import pdfmaker

    from dockets.models import DocketEntry

    path = pdfmaker.make_oversized_pdf(tmp_path / "big.pdf", text=TEXT)
    original = path.read_bytes()
    client.force_login(demo.users["attorney2"])
    draft, response = file_relief_motion(
        client, setup, attachments=(), main=SimpleUploadedFile("big.pdf", original)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "A document can be filed only as the repaired copy" in body
    assert "download the repaired copy of big.pdf" in body
    doc = draft.state["documents"][0]
    repaired = client.get(
        reverse(
            "dockets:filing-draft-file",
            kwargs={"draft_id": draft.pk, "index": 0, "kind": "repaired"},
        )
    )
    repaired_bytes = b"".join(repaired.streaming_content)
    assert hashlib.sha512(repaired_bytes).hexdigest() == doc["repaired"]["sha512"]
    assert not DocketEntry.objects.filter(event__code="nmrp").exists()

    review = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "review"}
    )
    done = client.post(review, {"submit": "1", "acknowledged": "on", "repair_0": "on"})
    assert done.status_code == 302
    document = DocketEntry.objects.get(event__code="nmrp").documents.get()
    assert document.sha512 == hashlib.sha512(repaired_bytes).hexdigest()
    assert document.sha512 != hashlib.sha512(original).hexdigest()


def test_form_fields_keep_the_original_unless_the_repair_is_accepted(
    client, demo, setup, tmp_path, file_relief_motion
):
    """Fillable fields get an optional repaired copy; without a tick the original bytes are filed."""
    import hostile_pdfs

    from dockets.models import DocketEntry

    path = hostile_pdfs.make_form_pdf(tmp_path / "form.pdf")
    original = path.read_bytes()
    client.force_login(demo.users["attorney2"])
    draft, response = file_relief_motion(
        client, setup, attachments=(), main=SimpleUploadedFile("form.pdf", original)
    )
    assert response.status_code == 302
    assert draft.state["documents"][0]["repair_offered"] is True
    document = DocketEntry.objects.get(event__code="nmrp").documents.get()
    assert document.sha512 == hashlib.sha512(original).hexdigest()


def test_auto_action_is_filed_only_as_the_repaired_copy_without_it(
    client, demo, setup, tmp_path, file_relief_motion
):
    """A file that would open a network path when opened is refused with the repair
    offered; the change is listed before the filer accepts, and the filed copy has no
    /OpenAction left."""
    import hostile_pdfs
    from pypdf import PdfReader

    from dockets.models import DocketEntry

    path = hostile_pdfs.make_action_pdf(tmp_path / "act.pdf", "open_gotor", text=TEXT)
    original = path.read_bytes()
    client.force_login(demo.users["attorney2"])
    draft, response = file_relief_motion(
        client, setup, attachments=(), main=SimpleUploadedFile("act.pdf", original)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "A document can be filed only as the repaired copy" in body
    assert "Removed actions that would run on their own" in body
    review = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "review"}
    )
    done = client.post(review, {"submit": "1", "acknowledged": "on", "repair_0": "on"})
    assert done.status_code == 302
    document = DocketEntry.objects.get(event__code="nmrp").documents.get()
    assert document.sha512 != hashlib.sha512(original).hexdigest()
    with document.original.open("rb") as handle:
        assert "/OpenAction" not in PdfReader(handle).root_object


def test_the_repair_reads_the_upload_in_the_sandbox_not_in_the_web_process(
    client, demo, setup, tmp_path, file_relief_motion, monkeypatch
):
    """The wizard's repaired copy is made by the checkers' sandboxed child
    (sandbox.repair_upload): repair_pdf called in the web process fails the test."""
    import pdfmaker
    from pypdf import PdfReader

    from dockets.pdf import repair

    def refuse(*args, **kwargs):
        raise AssertionError("repair_pdf ran in the web process")

    monkeypatch.setattr(repair, "repair_pdf", refuse)
    path = pdfmaker.make_oversized_pdf(tmp_path / "big.pdf", text=TEXT)
    client.force_login(demo.users["attorney2"])
    draft, response = file_relief_motion(
        client,
        setup,
        attachments=(),
        main=SimpleUploadedFile("big.pdf", path.read_bytes()),
    )
    assert response.status_code == 200
    assert "download the repaired copy of big.pdf" in response.content.decode()
    pages = len(PdfReader(path).pages)
    assert draft.state["documents"][0]["repaired"]["page_count"] == pages
