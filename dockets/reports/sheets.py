"""The PDF docket sheet, made in Celery with a status row the page polls.

The sheet is always the public view of the docket (what an anonymous reader sees),
so one file never carries more than its least-entitled reader may read; the download
view refuses it once a clerk has changed any entry of the case since the job began.

WeasyPrint renders about 8 pages a second (performance.md P7), so a large docket is
rendered in slabs of SLAB entries and the slabs are joined with pypdf; the progress
bar moves after each slab. A docket of one slab is a tagged PDF/UA-1 file.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Case
from filers.models import AnyUser

from .models import DocketSheetJob
from .selectors import (
    DocketOptions,
    docket_case,
    export_rows,
    header_deadlines,
    party_blocks,
)

SLAB = 1500


def request_docket_sheet(*, case: Case, user: AnyUser) -> DocketSheetJob:
    """Create the status row and queue the rendering after commit.

    Reading is free and anonymous, so this writes no audit event (it changes no
    record of the court); the job row itself says who asked, if anyone logged in.
    """
    from .tasks import make_docket_sheet_task

    with transaction.atomic():
        job = DocketSheetJob.objects.create(
            case=case,
            requested_by=user if user is not None and user.is_authenticated else None,
            total=case.last_entry_seq,
        )
        make_docket_sheet_task.delay_on_commit(job.pk)  # type: ignore[attr-defined]  # DjangoTask (ecf.celery task_cls); the stubs type Task
    return job


def _render(html: str, *, tagged: bool) -> bytes:
    from weasyprint import HTML

    kwargs = {"pdf_variant": "pdf/ua-1"} if tagged else {}
    return HTML(string=html).write_pdf(**kwargs)


def make_docket_sheet(*, job: DocketSheetJob) -> None:
    """Render the public docket of the job's case to PDF, updating progress per slab."""
    from pypdf import PdfReader, PdfWriter

    case = docket_case(job.case_id)
    assert case is not None  # noqa: S101 (the job's case: a foreign key; cases stay)
    opts = DocketOptions()
    rows = export_rows(case, opts, user=None, participant=False)
    DocketSheetJob.objects.filter(pk=job.pk).update(
        status=DocketSheetJob.Status.RUNNING, updated_at=timezone.now()
    )
    slab: list = []
    done = 0
    context = {
        "case": case,
        "parties": party_blocks(case),
        "deadlines": header_deadlines(case),
        "generated": timezone.now(),
    }

    def html(first: bool, last: bool) -> str:
        return render_to_string(
            "dockets/reports/docket_sheet_pdf.html",
            {**context, "rows": slab, "first": first, "last": last},
        )

    pdfs: list[bytes] = []
    first = True
    for row in rows:
        slab.append(row)
        if len(slab) >= SLAB:
            pdfs.append(_render(html(first, False), tagged=False))
            done += len(slab)
            slab = []
            first = False
            DocketSheetJob.objects.filter(pk=job.pk).update(
                done=done, updated_at=timezone.now()
            )
    single = first  # everything fit in one slab
    pdfs.append(_render(html(first, True), tagged=single))
    done += len(slab)
    if single:
        data = pdfs[0]
        pages = len(PdfReader(io.BytesIO(data)).pages)
    else:
        writer = PdfWriter()
        for blob in pdfs:
            writer.append(PdfReader(io.BytesIO(blob)))
        writer.add_metadata({"/Title": f"Docket {case.long_number}"})
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
        pages = len(writer.pages)
    job.file.save("sheet.pdf", ContentFile(data), save=False)
    DocketSheetJob.objects.filter(pk=job.pk).update(
        file=job.file.name,
        status=DocketSheetJob.Status.DONE,
        done=done,
        total=max(done, 0),
        pages=pages,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
