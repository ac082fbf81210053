"""Helpers of the pipeline tests: build a case the NEF rules have something to say about,
file an entry through dockets.services.file_docket_entry, and run the pipeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from factories import chapter7_case, coastal_creditor, gonzalez_debtor, sharp_creditor
from pdfmaker import make_pdf

from cases.models import Case, CaseWatch, Party, Representation
from cases.services import add_party
from dockets.models import DocketEntry, Event, Notice
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry


@dataclass
class PipelineCase:
    case: Case
    debtor: Party
    bank: Party
    mailed_creditor: Party
    users: dict


def build_case(demo) -> PipelineCase:
    """A chapter 7 case: debtor represented by attorney@, the panel trustee, a represented
    bank (attorney2@), a creditor with only a mailing address, and the U.S. trustee."""
    users = demo.users
    with transaction.atomic():
        case = chapter7_case(demo, actor=users["attorney"], debtor=gonzalez_debtor())
        debtor = case.parties.get(role=Party.Role.DEBTOR)
        bank = add_party(case=case, data=coastal_creditor())
        mailed = add_party(case=case, data=sharp_creditor())
        Representation.objects.create(
            case=case, party=debtor, attorney=users["attorney"], notice=True
        )
        Representation.objects.create(
            case=case, party=bank, attorney=users["attorney2"], notice=True
        )
    return PipelineCase(
        case=case, debtor=debtor, bank=bank, mailed_creditor=mailed, users=users
    )


def pdf_upload(
    tmp: Path, name: str, *, pages: int = 3, description: str = "Main Document"
) -> UploadedDocument:
    path = make_pdf(tmp / name, pages=pages)
    return UploadedDocument.from_path(
        path, filename=name, description=description, page_count=pages
    )


def file_entry(
    pc: PipelineCase,
    tmp: Path,
    *,
    code: str = "extime",
    filer=None,
    pages: int = 3,
    attachments: tuple[str, ...] = (),
    fields: dict | None = None,
    visibility: str | None = None,
    parties: list | None = None,
) -> DocketEntry:
    """File an entry through the real filing service (the hook runs on commit)."""
    event = Event.objects.get(code=code)
    filer = filer or pc.users["attorney"]
    documents = [pdf_upload(tmp, f"{code}-main.pdf", pages=pages)]
    for i, description in enumerate(attachments, 1):
        documents.append(
            pdf_upload(tmp, f"{code}-att{i}.pdf", pages=2, description=description)
        )
    request = FilingRequest(
        case=pc.case,
        events=[event],
        filer=filer,
        documents=documents,
        parties=parties if parties is not None else [pc.debtor],
        fields=fields or {"extend_what": "file schedules"},
        visibility=visibility,
    )
    return file_docket_entry(request)


def run_pipeline(entry: DocketEntry) -> Notice:
    """Run the pipeline's tasks in this process, as a worker would."""
    from dockets.pipeline.tasks import send_notice_task, stamp_entry_task

    for notice_id in _stamp(entry, stamp_entry_task):
        send_notice_task(notice_id)
    notice = entry.notices.order_by("id").first()
    assert notice is not None
    return notice


def _stamp(entry, task):
    from dockets.pipeline import services

    task(entry.pk)
    return services.notices_ready(entry_id=entry.pk)


def add_watch(case: Case, user, kind: str) -> None:
    CaseWatch.objects.get_or_create(case=case, user=user, kind=kind)


def court_date(value: dt.datetime) -> str:
    from core import clock

    local = clock.local(value)
    return f"{local:%m/%d/%y}"


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.1):
    """Poll until predicate() is truthy; return its value or fail after `timeout` seconds."""
    import time

    import pytest

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {predicate}")
