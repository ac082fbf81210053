"""The one door for an uploaded PDF: `validated_upload()`.

Every upload form (filing wizard, API, proofs of claim, ePOC, case opening, clerk
replacements) hands the browser's file here. The bytes are copied to a private
temporary file and judged in the sandboxed child (dockets.pdf.sandbox), with the
court's size, CPU and memory limits. A refused file raises `UploadRefused` with the
plain reason; a sandbox that cannot start (an infrastructure fault) raises it too,
with a "try again" message instead of a 500. Callers run this before opening any
database transaction: a slow or hostile file never holds a lock.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings

from core.errors import UserFacingError

from .services import UploadedDocument

CHECKER_DOWN = (
    "The PDF could not be checked just now (the file checker is not available). "
    "Nothing was filed and nothing you typed was lost; try again in a minute."
)


class UploadRefused(UserFacingError):
    """The file was refused (or could not be judged); the message says why in plain words."""


@dataclass
class CheckedUpload:
    """A file that went through the sandbox: its temporary path and what was found."""

    path: str
    filename: str
    analysis: object  # dockets.pdf.validation.PdfAnalysis

    def as_document(
        self, *, description: str = "Main Document", attachment_type: str = ""
    ) -> UploadedDocument:
        return UploadedDocument(
            path=self.path,
            filename=self.filename,
            sha512=self.analysis.sha512,
            size=self.analysis.size,
            page_count=self.analysis.page_count,
            description=description,
            attachment_type=attachment_type,
        )


def upload_name(upload, default: str = "document.pdf") -> str:
    name = os.path.basename(getattr(upload, "name", "") or default)
    return name.replace("\x00", "")[:200] or default


@contextlib.contextmanager
def validated_upload(
    upload,
    *,
    debtor_names: Sequence[str] = (),
    needs_signature: bool = True,
    field: str = "pdf",
    accept_repairable: bool = False,
) -> Iterator[CheckedUpload]:
    """Yield the upload checked in the sandbox; the temporary copy is removed afterwards.

    Raises UploadRefused naming the file and the reason. With `accept_repairable`,
    a file whose only problems are oversized pages is yielded (the wizard offers a
    repaired copy); its `analysis.problems` are then not empty.
    """
    from .pdf.sandbox import SandboxUnavailable, validate_upload

    if upload is None:
        raise UploadRefused("Attach the PDF.", field=field)
    name = upload_name(upload)
    fd, path = tempfile.mkstemp(suffix=".pdf", prefix="ecf-upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            analysis = validate_upload(
                path,
                max_bytes=settings.ECF_MAX_UPLOAD_BYTES,
                cpu_seconds=settings.ECF_PDF_CPU_SECONDS,
                memory_bytes=settings.ECF_PDF_MEMORY_BYTES,
                debtor_names=list(debtor_names),
                needs_signature=needs_signature,
            )
        except SandboxUnavailable as error:
            raise UploadRefused(CHECKER_DOWN, field=field) from error
        repairable = bool(analysis.problems) and all(
            p.code == "page_size" for p in analysis.problems
        )
        if analysis.problems and not (accept_repairable and repairable):
            reasons = " ".join(p.message for p in analysis.problems)
            raise UploadRefused(f"{name}: {reasons}", field=field)
        yield CheckedUpload(path=path, filename=name, analysis=analysis)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
