"""Each PDF rule through the upload view, with real files: a plain reason, and nothing kept."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _draft_with_event(client, demo, setup, start_draft, code="nmrp"):
    from dockets.models import Event

    client.force_login(demo.users["attorney2"])
    draft = start_draft(client, setup.case)
    client.post(
        reverse("dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "events"}),
        {"events": [Event.objects.get(code=code).pk]},
    )
    client.post(
        reverse(
            "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "parties"}
        ),
        {"parties": [setup.bank.pk], "against": [setup.debtor.pk]},
    )
    return draft


def _files_under(folder) -> list[str]:
    found = []
    for root, _dirs, files in os.walk(folder):
        found += [os.path.join(root, f) for f in files]
    return found


REFUSALS = [
    ("encrypted", lambda p, m: m.make_encrypted_pdf(p), "encrypted"),
    ("javascript", lambda p, m: m.make_javascript_pdf(p), "JavaScript"),
    ("embedded", lambda p, m: m.make_embedded_file_pdf(p), "files attached inside"),
    ("launch", lambda p, m: m.make_launch_pdf(p), ""),
    ("truncated", lambda p, m: m.make_truncated_pdf(p), ""),
    ("not_a_pdf", lambda p, m: m.make_not_a_pdf(p), "not a PDF"),
    ("polyglot", lambda p, m: m.make_polyglot_pdf(p), ""),
    ("bomb", lambda p, m: m.make_bomb_pdf(p), ""),
    ("empty_pdf", lambda p, m: m.make_empty_pdf(p), ""),
    ("media", lambda p, m: m.make_media_pdf(p), ""),
    ("xfa_script", lambda p, m: m.make_xfa_pdf(p), ""),
    ("deeply_nested", lambda p, m: m.make_deeply_nested_pdf(p), ""),
    ("huge_page_tree", lambda p, m: m.make_huge_page_count_pdf(p), ""),
    ("malformed_xref", lambda p, m: m.make_malformed_xref_pdf(p), ""),
]
# Oversized pages are not refused here: the filer is offered a repaired copy
# (tests/dockets/filing/test_filing_repair.py).


@pytest.mark.parametrize(
    ("name", "build", "words"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_bad_pdf_is_refused_with_a_reason_and_not_kept(
    client, demo, setup, start_draft, settings, tmp_path, name, build, words
):
    """The upload view refuses the file with the validator's reason; no file or state is kept."""
    import hostile_pdfs

    draft = _draft_with_event(client, demo, setup, start_draft)
    path = build(tmp_path / f"{name}.pdf", hostile_pdfs)
    url = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "documents"}
    )
    with open(path, "rb") as fh:
        response = client.post(url, {"main": fh, "upload": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "The main document was not accepted:" in body
    if words:
        assert words.lower() in body.lower()
    draft.refresh_from_db()
    assert draft.state.get("documents", []) == []
    assert (
        _files_under(os.path.join(settings.MEDIA_ROOT, "drafts", str(draft.pk))) == []
    )


def test_empty_upload_is_refused(client, demo, setup, start_draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = _draft_with_event(client, demo, setup, start_draft)
    url = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "documents"}
    )
    response = client.post(
        url, {"main": SimpleUploadedFile("empty.pdf", b""), "upload": "1"}
    )
    assert response.status_code == 200
    assert "The submitted file is empty." in response.content.decode()
    draft.refresh_from_db()
    assert draft.state.get("documents", []) == []


def test_file_over_the_size_limit_is_refused(
    client, demo, setup, start_draft, settings, pdf
):
    """ECF_MAX_UPLOAD_BYTES is enforced with the limit in the message."""
    settings.ECF_MAX_UPLOAD_BYTES = 500
    draft = _draft_with_event(client, demo, setup, start_draft)
    url = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "documents"}
    )
    response = client.post(url, {"main": pdf(pages=3), "upload": "1"})
    body = response.content.decode()
    assert "The main document was not accepted:" in body
    draft.refresh_from_db()
    assert draft.state.get("documents", []) == []


def test_valid_pdf_is_kept_with_its_digest_and_page_count(
    client, demo, setup, start_draft, pdf
):
    import hashlib

    draft = _draft_with_event(client, demo, setup, start_draft)
    upload = pdf(pages=3)
    data = upload.read()
    upload.seek(0)
    url = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "documents"}
    )
    assert client.post(url, {"main": upload, "upload": "1"}).status_code == 302
    draft.refresh_from_db()
    [doc] = draft.state["documents"]
    assert doc["sha512"] == hashlib.sha512(data).hexdigest()
    assert doc["page_count"] == 3
    download = client.get(
        reverse(
            "dockets:filing-draft-file",
            kwargs={"draft_id": draft.pk, "index": 0, "kind": "original"},
        )
    )
    assert b"".join(download.streaming_content) == data


def test_attachment_needs_a_type_or_description(client, demo, setup, start_draft, pdf):
    draft = _draft_with_event(client, demo, setup, start_draft)
    url = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "documents"}
    )
    response = client.post(url, {"attachment": pdf("a.pdf"), "upload": "1"})
    assert (
        "Choose a type or type a description for the attachment."
        in response.content.decode()
    )


def test_continue_without_main_document_is_refused(client, demo, setup, start_draft):
    draft = _draft_with_event(client, demo, setup, start_draft)
    url = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "documents"}
    )
    response = client.post(url, {"next": "1"})
    assert response.status_code == 200
    assert (
        "Upload the main document (PDF) before you continue."
        in response.content.decode()
    )


def test_image_only_scan_is_accepted_with_a_warning(
    client, demo, setup, start_draft, tmp_path
):
    """A scan without text is accepted; the warning waits for review."""
    import pdfmaker

    draft = _draft_with_event(client, demo, setup, start_draft)
    path = pdfmaker.make_image_only_pdf(tmp_path / "scan.pdf")
    url = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "documents"}
    )
    with open(path, "rb") as fh:
        assert client.post(url, {"main": fh, "upload": "1"}).status_code == 302
    draft.refresh_from_db()
    assert [f["code"] for f in draft.state["documents"][0]["findings"]] == [
        "image_only"
    ]


def test_unredacted_ssn_is_a_warning(client, demo, setup, start_draft, pdf):
    draft = _draft_with_event(client, demo, setup, start_draft)
    url = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "documents"}
    )
    text = "In re Maria L. Gonzalez\nDebtor SSN: 512-34-5678\n/s/ Marcus Lee"
    assert client.post(url, {"main": pdf(text=text), "upload": "1"}).status_code == 302
    draft.refresh_from_db()
    assert "ssn" in [f["code"] for f in draft.state["documents"][0]["findings"]]
