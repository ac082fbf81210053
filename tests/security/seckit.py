"""Helpers for the security tests: a case, a filed PDF, an entry."""

from __future__ import annotations

import tempfile
from pathlib import Path

from factories import make_case as make_case  # one builder for every test folder


def file_pdf_entry(
    case,
    filer,
    *,
    code: str = "crcou",
    text: str = "Filed for the security tests",
    visibility=None,
    filename: str = "certificate.pdf",
):
    """File an entry with one real PDF through file_docket_entry (hooks queue after commit)."""
    from pdfmaker import make_pdf

    from dockets.models import DocketEntry, Event
    from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

    folder = Path(tempfile.mkdtemp(prefix="ecf-sec-"))
    path = make_pdf(folder / "upload.pdf", text=text)
    upload = UploadedDocument.from_path(path, filename=filename, page_count=1)
    return file_docket_entry(
        FilingRequest(
            case=case,
            events=[Event.objects.get(code=code)],
            filer=filer,
            documents=[upload],
            fee_status=DocketEntry.FeeStatus.PAID,
            visibility=visibility,
        )
    )
