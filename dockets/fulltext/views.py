"""The plain-text view of a document (same access as the PDF: dockets.permissions)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ..permissions import access_document
from .models import DocumentText
from .services import document_text


@require_GET
def document_text_view(request: HttpRequest, document_id: int) -> HttpResponse:
    """The document's text, page by page, as text/plain; a plain message until it is ready."""
    document = access_document(request.user, document_id)
    entry = document.entry
    row, pages = document_text(document)
    head = (
        f"{entry.case.display_number}"
        + (f" Doc {entry.number}" if entry.number else "")
        + f": {document.description}\n"
        "Text read from the filed PDF (character recognition may contain errors; "
        "the PDF is the record).\n\n"
    )
    if row is None or row.status in (
        DocumentText.Status.PENDING,
        DocumentText.Status.RUNNING,
    ):
        done = f" ({row.pages_done} of {row.pages_total} pages)" if row else ""
        body = (
            f"The text of this document is being read{done}. Try again in a minute.\n"
        )
    elif row.status == DocumentText.Status.NOT_INDEXED:
        body = "The text of this document is not kept: it is a restricted document.\n"
    elif row.status == DocumentText.Status.FAILED:
        body = "The text of this document could not be read. Open the PDF instead.\n"
    else:
        body = "".join(
            f"--- Page {p.page} of {row.pages_total}"
            + (" (recognised from an image)" if p.ocr else "")
            + f" ---\n{p.text.strip()}\n\n"
            for p in pages
        )
    response = HttpResponse(head + body, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response
