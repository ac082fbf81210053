"""Helpers for the security tests: a case, a filed PDF, an entry."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import transaction


def make_case(court, *, title: str, chapter: str = "7", actor=None):
    from cases.models import Judge, Office, Trustee
    from cases.services import create_case

    office = Office.objects.get(court=court, number=3)
    judge = Judge.objects.get(court=court, initials="LT")
    trustee = Trustee.objects.filter(court=court, kind=Trustee.Kind.PANEL_7).first()
    with transaction.atomic():
        return create_case(
            court=court,
            office=office,
            chapter=chapter,
            title=title,
            judge=judge,
            trustee=trustee if chapter == "7" else None,
            actor=actor,
        )


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
