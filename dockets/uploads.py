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
from typing import Any

from django.conf import settings

from core.errors import UserFacingError

from .pdf.validation import REPAIRABLE_CODES, PdfAnalysis
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
    analysis: PdfAnalysis

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
            p.code in REPAIRABLE_CODES for p in analysis.problems
        )
        if analysis.problems and not (accept_repairable and repairable):
            reasons = " ".join(p.message for p in analysis.problems)
            raise UploadRefused(f"{name}: {reasons}", field=field)
        yield CheckedUpload(path=path, filename=name, analysis=analysis)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


# -- Keeping accepted files across form errors ----------------------------------------

# A file that passed validation is kept server-side until the form is filed (or the
# filer removes it), so a form error elsewhere never makes the filer choose it again.
# The page carries only a signed token in a hidden field; the token names the stored
# file and its owner (the user, or the visitor's session for ePOC) and expires.
HOLD_SALT = "dockets.uploads.held"
HOLD_FOLDER = "held"


@dataclass
class HeldFile:
    """An accepted upload kept for a form: shown as "kept: name, N pages; remove"."""

    token: str
    name: str  # storage name
    filename: str
    sha512: str
    size: int
    page_count: int

    @property
    def pages_text(self) -> str:
        return f"{self.page_count} page{'s' if self.page_count != 1 else ''}"


def upload_owner(request) -> str:
    """Who may use a held file: the logged-in user, else this browser's session."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if not request.session.session_key:
        request.session.save()
    return f"session:{request.session.session_key}"


def hold_upload(checked: CheckedUpload, *, owner: str) -> HeldFile:
    """Store an accepted file for later and return its handle (token signed, owner-bound)."""
    import secrets

    from django.core import signing
    from django.core.files import File
    from django.core.files.storage import default_storage

    with open(checked.path, "rb") as fh:
        name = default_storage.save(
            f"{HOLD_FOLDER}/{secrets.token_hex(16)}.pdf", File(fh)
        )
    facts: dict[str, Any] = {
        "n": name,
        "f": checked.filename,
        "h": checked.analysis.sha512,
        "s": checked.analysis.size,
        "p": checked.analysis.page_count,
        "o": owner,
    }
    token = signing.dumps(facts, salt=HOLD_SALT, compress=True)
    return HeldFile(token, name, checked.filename, facts["h"], facts["s"], facts["p"])


def held_files(tokens, *, owner: str) -> list[HeldFile]:
    """The held files these tokens name, if they belong to `owner` and have not expired.

    A forged, foreign or expired token is ignored (its file is simply not kept).
    """
    from django.core import signing
    from django.core.files.storage import default_storage

    max_age = settings.ECF_HELD_UPLOAD_HOURS * 3600
    kept: list[HeldFile] = []
    for token in dict.fromkeys(tokens):
        try:
            facts = signing.loads(token, salt=HOLD_SALT, max_age=max_age)
        except signing.BadSignature:
            continue
        if facts.get("o") != owner or not default_storage.exists(facts["n"]):
            continue
        kept.append(
            HeldFile(token, facts["n"], facts["f"], facts["h"], facts["s"], facts["p"])
        )
    return kept


def keep_uploads(
    request,
    *,
    files,
    field: str,
    needs_signature: bool = False,
    debtor_names: Sequence[str] = (),
    limit: int | None = None,
) -> tuple[list[HeldFile], list[str]]:
    """Check newly chosen files and keep the accepted ones with those kept before.

    Returns (every file now kept, the refusals in plain words). Runs outside any
    transaction. `request.POST` carries the earlier tokens in `kept` and the ones the
    filer ticked to remove in `drop`; `limit` keeps only the newest N (one petition).
    """
    from django.core.files.storage import default_storage

    owner = upload_owner(request)
    dropped = set(request.POST.getlist("drop"))
    kept = held_files(request.POST.getlist("kept"), owner=owner)
    for held in [h for h in kept if h.token in dropped]:
        default_storage.delete(held.name)
    kept = [h for h in kept if h.token not in dropped]
    refusals = []
    for upload in files:
        try:
            with validated_upload(
                upload,
                needs_signature=needs_signature,
                debtor_names=debtor_names,
                field=field,
            ) as checked:
                kept.append(hold_upload(checked, owner=owner))
        except UploadRefused as refused:
            refusals.append(refused.message)
    if limit is not None and len(kept) > limit:
        for old in kept[:-limit]:
            default_storage.delete(old.name)
        kept = kept[-limit:]
    return kept, refusals


def keep_form_upload(
    request, form, field: str, *, needs_signature: bool = False
) -> list[HeldFile]:
    """Keep the one PDF of a bound Django form across its form errors.

    The chosen file is checked now (outside any transaction) and held; the form no
    longer sees the raw upload, its file field stops being required while a file is
    kept, and a refusal becomes the field's error. The view renders the returned list
    with includes/kept_uploads.html and files it with `held_documents()`.
    """
    key = form.add_prefix(field)
    kept, refusals = keep_uploads(
        request,
        files=request.FILES.getlist(key),
        field=field,
        needs_signature=needs_signature,
        limit=1,
    )
    form.files = form.files.copy()
    form.files.pop(key, None)
    if kept or refusals:
        form.fields[field].required = False
    for message in refusals:
        form.add_error(field, message)
    return kept


@contextlib.contextmanager
def held_documents(
    kept: list[HeldFile], *, describe=None
) -> Iterator[list[UploadedDocument]]:
    """Yield the kept files as documents with local paths (copies removed afterwards).

    `describe(filename, index)` gives each document's description.
    """
    import shutil

    from django.core.files.storage import default_storage

    with tempfile.TemporaryDirectory(prefix="ecf-held-") as tmp:
        documents = []
        for index, held in enumerate(kept, 1):
            local = os.path.join(tmp, f"{index}.pdf")
            with default_storage.open(held.name, "rb") as src, open(local, "wb") as out:
                shutil.copyfileobj(src, out)
            documents.append(
                UploadedDocument(
                    path=local,
                    filename=held.filename,
                    sha512=held.sha512,
                    size=held.size,
                    page_count=held.page_count,
                    description=describe(held.filename, index)
                    if describe
                    else "Main Document",
                )
            )
        yield documents


def release_held(kept: list[HeldFile]) -> None:
    """Delete kept files once they are filed (the filed copies live with the entry)."""
    from django.core.files.storage import default_storage

    for held in kept:
        default_storage.delete(held.name)


def expire_held_uploads(*, now=None) -> int:
    """Delete held files older than ECF_HELD_UPLOAD_HOURS (a form abandoned); returns how many."""
    import datetime as dt

    from django.core.files.storage import default_storage
    from django.utils import timezone

    now = now or timezone.now()
    limit = now - dt.timedelta(hours=settings.ECF_HELD_UPLOAD_HOURS)
    try:
        _dirs, files = default_storage.listdir(HOLD_FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    count = 0
    for name in files:
        path = f"{HOLD_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < limit:
            default_storage.delete(path)
            count += 1
    return count
