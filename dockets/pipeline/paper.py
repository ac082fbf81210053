"""Paper notices for events the Bankruptcy Noticing Center serves (cmecf.md 5.4).

For an entry whose event is served by the BNC, everyone the NEF does not reach by
e-mail gets a printed notice: one PDF per mailing with one page per address, made
with WeasyPrint as tagged PDF/UA (a `lang` and a `<title>` are required for it).
Then a "BNC Certificate of Notice" entry, with its own certificate PDF, is docketed
automatically with the number of notices (cmecf.md 5.4: "No. of Notices: 10.
Service Date 02/25/2009. (Admin.)").

Idempotent: the PaperNotice row (one per notice) is written in the transaction that
dockets the certificate, under a lock on the notice; a second run finds it and stops.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from core import clock

from ..models import Event, Notice, NoticeRecipient
from .models import PaperNotice

CERTIFICATE_EVENT = "bncntc"


def render_pdf(template: str, context: dict) -> bytes:
    """Render a template to tagged PDF/UA-1 bytes."""
    from weasyprint import HTML

    html = render_to_string(
        template,
        {
            **context,
            "court_name": settings.ECF_COURT_NAME,
            "is_training": settings.ECF_IS_TRAINING,
        },
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def _context(notice: Notice, recipients: list[NoticeRecipient]) -> dict:
    entry = notice.entry
    case = entry.case
    today = clock.today()
    return {
        "case": case,
        "case_number": case.display_number,
        "case_name": case.title,
        "district": case.court.district,
        "entry": entry,
        "event_name": entry.event.name,
        "docket_text": entry.text,
        "filed_on": f"{entry.filed_date:%m/%d/%Y}",
        "service_date": f"{today:%m/%d/%Y}",
        "recipients": recipients,
        "count": len(recipients),
    }


def mail_paper_notices(*, notice_id: int) -> PaperNotice | None:
    """Generate the paper notices of a BNC-served notice and docket the certificate, once."""
    from ..services import (
        FilingRequest,
        UploadedDocument,
        after_filing,
        create_entry,
        documents_stored,
        lock_case,
    )

    notice = Notice.objects.select_related(
        "entry__case__court",
        "entry__case__office",
        "entry__case__judge",
        "entry__event",
    ).get(pk=notice_id)
    if PaperNotice.objects.filter(notice_id=notice_id).exists():
        return PaperNotice.objects.get(notice_id=notice_id)
    recipients = list(
        notice.recipients.filter(method=NoticeRecipient.Method.PAPER).order_by("id")
    )
    if not recipients:
        return None
    context = _context(notice, recipients)
    notices_pdf = render_pdf("dockets/pipeline/paper_notice.html", context)
    certificate_pdf = render_pdf("dockets/pipeline/bnc_certificate.html", context)
    event = Event.objects.get(code=CERTIFICATE_EVENT)
    case_id = notice.entry.case_id
    with tempfile.TemporaryDirectory(prefix="ecf-bnc-") as tmp:
        cert_path = Path(tmp) / "certificate.pdf"
        cert_path.write_bytes(certificate_pdf)
        upload = UploadedDocument.from_path(
            cert_path, filename="BNC Certificate of Notice.pdf", page_count=0
        )
        notices_path = Path(tmp) / "notices.pdf"
        notices_path.write_bytes(notices_pdf)
        printed = UploadedDocument.from_path(
            notices_path, filename="notices.pdf", folder=f"paper/{case_id}"
        )
        # Both PDFs reach storage before the notice and case locks; a second run
        # that finds the mailing done leaves its copies to documents_stored to delete.
        with documents_stored([upload, printed], case_id=case_id), transaction.atomic():
            locked = Notice.objects.select_for_update().get(pk=notice_id)
            existing = PaperNotice.objects.filter(notice=locked).first()
            if existing is not None:
                return existing
            case = lock_case(case_id)
            request = FilingRequest(
                case=case,
                events=[event],
                filer=None,
                related=[notice.entry],
                documents=[upload],
                fields={
                    "notices": str(len(recipients)),
                    "service_date": context["service_date"],
                },
                text_suffix="(Admin.)",
                filer_label="Admin.",
            )
            certificate = create_entry(request, case=case)
            paper = PaperNotice(
                notice=locked, count=len(recipients), certificate=certificate
            )
            paper.pdf.name = printed.take_stored()
            paper.save()
            NoticeRecipient.objects.filter(pk__in=[r.pk for r in recipients]).update(
                status=NoticeRecipient.Status.QUEUED_PAPER
            )
            after_filing(certificate)
    return paper
