"""Uploaded claim PDFs: checked in the sandboxed child (dockets.pdf.sandbox), and stamped
copies of claim documents made on request.

A claim document's stamp names the claim, as CM/ECF does:
`Case 26-00001-LT7  Claim 1-1  Filed 11/26/26  Desc Main Document  Page 1 of 3`.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from dockets.models import Document
from dockets.services import UploadedDocument


def describe_upload(filename: str, index: int) -> str:
    """A supporting document's description from its file name ("Itemized statement")."""
    stem = re.sub(r"[^A-Za-z0-9 .,&()'-]+", " ", Path(filename).stem).strip()
    return (" ".join(stem.split()) or f"Attachment {index}")[:60]


@contextlib.contextmanager
def validated_pdfs(
    files, *, field: str = "attachments"
) -> Iterator[list[UploadedDocument]]:
    """Yield the uploads as validated documents in a temporary folder (removed afterwards).

    Raises UserFacingError naming the file and the court's reason for the first
    file refused; nothing is kept of a refused upload.
    """
    from dockets.uploads import validated_upload

    with contextlib.ExitStack() as stack:
        documents = [
            stack.enter_context(
                validated_upload(upload, needs_signature=False, field=field)
            ).as_document(description=describe_upload(upload.name, index))
            for index, upload in enumerate(files, 1)
        ]
        yield documents


def keep_claim_attachments(request, form) -> list:
    """Check newly chosen supporting documents and keep every accepted one (dockets.uploads).

    A refused file is named on the form; the accepted ones stay with the form across
    any error, so the filer never chooses them again.
    """
    from dockets.uploads import keep_uploads

    from .forms import MAX_ATTACHMENTS

    kept, refusals = keep_uploads(
        request, files=request.FILES.getlist("attachments"), field="attachments"
    )
    form.files = form.files.copy() if form.files else form.files
    if form.files is not None and "attachments" in form.files:
        form.files.setlist("attachments", [])
    for message in refusals:
        form.add_error("attachments", message)
    if len(kept) > MAX_ATTACHMENTS:
        form.add_error(
            "attachments",
            f"Attach at most {MAX_ATTACHMENTS} files; combine the rest into one PDF.",
        )
    return kept


def claim_stamp_header(
    *, document: Document, case_number: str, claim_label: str, filed
) -> str:
    return f"Case {case_number}  Claim {claim_label}  Filed {filed:%m/%d/%y}  Desc {document.description}"


def stamped_claim_pdf(
    *, document: Document, case_number: str, claim_label: str, filed
) -> bytes:
    """Return a stamped copy of a claim document; the stored original is not changed."""
    from dockets.pdf.stamping import stamp_pdf

    prefix = claim_stamp_header(
        document=document, case_number=case_number, claim_label=claim_label, filed=filed
    )
    with tempfile.TemporaryDirectory(prefix="ecf-claim-stamp-") as tmp:
        src, dst = Path(tmp) / "original.pdf", Path(tmp) / "stamped.pdf"
        with document.original.open("rb") as fh:
            src.write_bytes(fh.read())
        stamp_pdf(src, dst, lambda page, pages: f"{prefix}  Page {page} of {pages}")
        return dst.read_bytes()
