"""Per case, on request: a ZIP of its public documents, built in Celery with progress.

The same public view as the bulk export (dockets.bulk.export): entries by
public_entry_q, documents by can_view_document(None, ...); sealed and restricted
documents are never packed, whoever asks. Each file is the stamped copy (the
original while stamping is pending); index.csv lists each file with its SHA-512.
"""

from __future__ import annotations

import hashlib
import secrets
import tempfile
import zipfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from filers.models import AnyUser

from ..models import Document
from ..permissions import can_view_document
from ..selectors import public_entry_q
from .export import csv_writer
from .models import CaseZipJob


def public_documents(case) -> list[Document]:
    docs = (
        Document.objects.filter(entry__case=case)
        .filter(public_entry_q(prefix="entry__"))
        .select_related("entry", "entry__case")
        .order_by("entry__seq", "sequence", "pk")
    )
    return [d for d in docs if can_view_document(None, d, participant=False)]


def request_case_zip(*, case, user: AnyUser) -> CaseZipJob:
    from .tasks import build_case_zip_task

    with transaction.atomic():
        job = CaseZipJob.objects.create(
            case=case,
            token=secrets.token_urlsafe(18),
            requested_by=user if user is not None and user.is_authenticated else None,
        )
        build_case_zip_task.delay_on_commit(job.pk)  # type: ignore[attr-defined]  # DjangoTask (ecf.celery task_cls); the stubs type Task
    return job


def build_case_zip(*, job_id: int) -> CaseZipJob | None:
    job = CaseZipJob.objects.filter(pk=job_id).select_related("case").first()
    if job is None or job.status in (CaseZipJob.Status.DONE, CaseZipJob.Status.FAILED):
        return job
    documents = public_documents(job.case)
    CaseZipJob.objects.filter(pk=job.pk).update(
        status=CaseZipJob.Status.RUNNING, total=len(documents), done=0
    )
    number = job.case.display_number
    with tempfile.TemporaryDirectory(prefix="ecf-zip-") as tmp:
        target = Path(tmp) / "documents.zip"
        index = Path(tmp) / "index.csv"
        with (
            zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive,
            open(index, "w", newline="", encoding="utf-8") as fh,
        ):
            writer = csv_writer(fh)
            writer.writerow(["file", "docket_number", "description", "sha512"])
            for i, document in enumerate(documents, 1):
                source = document.stamped.name or document.original.name
                doc = document.entry.number or f"u{document.entry.seq}"
                name = f"{number}-doc-{doc}-{document.sequence}.pdf"
                digest = hashlib.sha512()
                with (
                    default_storage.open(source, "rb") as src,
                    archive.open(name, "w") as dst,
                ):
                    for chunk in iter(lambda: src.read(1 << 20), b""):
                        digest.update(chunk)
                        dst.write(chunk)
                writer.writerow([name, doc, document.description, digest.hexdigest()])
                CaseZipJob.objects.filter(pk=job.pk).update(
                    done=i, updated_at=timezone.now()
                )
            fh.flush()
            archive.write(index, "index.csv")
        with open(target, "rb") as fh:
            name = default_storage.save(
                f"case-zips/{job.case_id}/{secrets.token_hex(16)}.zip", File(fh)
            )
    CaseZipJob.objects.filter(pk=job.pk).update(
        status=CaseZipJob.Status.DONE, file=name, updated_at=timezone.now()
    )
    return CaseZipJob.objects.get(pk=job.pk)
