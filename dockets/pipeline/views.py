"""Pages of the pipeline: documents and their stamps, downloads, notice links, verification,
the filer's NEF receipt, "add this case to my account", and the clerk's failure and
bounce lists. Thin: access_* first, one service, render."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.permissions import access_case
from core.compiled import CompiledQuery
from core.downloads import protected_file_response
from core.errors import UserFacingError
from filers.http import AuthedRequest
from filers.models import AnyUser
from filers.permissions import is_active_clerk, is_active_court_user

from ..models import Document, DocumentText, Notice, NoticeRecipient, Visibility
from ..permissions import (
    access_document,
    access_entry,
    can_see_entry_text,
    can_view_document,
    effective_document_visibility,
    record_document_access,
)
from . import services
from .headers import stamp_text

DIGEST_RE = re.compile(r"^[0-9a-fA-F]{128}$")


def _court_user(user: AnyUser) -> bool:
    return is_active_court_user(user)


def _court_only(request: HttpRequest) -> None:
    if not _court_user(request.user):
        raise Http404


# -- documents ---------------------------------------------------------------------


@require_GET
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    """A filed document: its stamp, both digests, status and download links."""
    document = access_document(request.user, document_id)
    record_document_access(request=request, document=document, route="document-page")
    entry = document.entry
    return render(
        request,
        "dockets/pipeline/document_detail.html",
        {
            "document": document,
            "entry": entry,
            "case": entry.case,
            "stamp": stamp_text(document, entry),
            "can_see_status_reason": _court_user(request.user),
            # The access log of a sealed or restricted document, for the clerk only.
            "accesses": list(
                document.accesses.select_related("user").order_by("-at")[:50]
            )
            if is_active_clerk(request.user)
            else None,
            "text_status": _TEXT_STATUS.first(document.pk),
        },
    )


# The text-reading status of one document, compiled once per process (issue 21).
_TEXT_STATUS = CompiledQuery(
    lambda document_id: DocumentText.objects.filter(document_id=document_id).order_by(
        "pk"
    )[:1]
)


def _download_name(document: Document, *, original: bool) -> str:
    entry = document.entry
    parts = [
        entry.case.display_number,
        f"doc{entry.number}" if entry.number else f"entry{entry.pk}",
    ]
    if document.sequence:
        parts.append(f"att{document.sequence}")
    if original:
        parts.append("original")
    name = "_".join(parts)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name) + ".pdf"


@require_GET
def document_download(
    request: HttpRequest, document_id: int
) -> HttpResponse | FileResponse:
    """Stream the stamped copy (or the original with ?original=1) after access_document."""
    document = access_document(request.user, document_id)
    record_document_access(request=request, document=document, route="download")
    original = request.GET.get("original") == "1" or not document.stamped
    name = document.original.name if original else document.stamped.name
    return protected_file_response(
        name, filename=_download_name(document, original=original)
    )


@require_GET
def notice_link(request: HttpRequest, token: str, document_id: int) -> HttpResponse:
    """A recipient's NEF link: records the first opening, then shows the document.

    The token grants nothing: public documents open for anyone, restricted ones only
    after logging in as someone entitled, sealed ones never from a link.
    """
    recipient = (
        NoticeRecipient.objects.select_related("notice").filter(token=token).first()
    )
    if recipient is None:
        raise Http404
    refused = open_free_look(request, recipient=recipient, document_id=document_id)
    if refused is not None:
        return refused
    return redirect("dockets:document", document_id=document_id)


def open_free_look(
    request: HttpRequest, *, recipient: NoticeRecipient, document_id: int
) -> HttpResponse | None:
    """Record a recipient's first opening of a document of its notice, or answer why not.

    Returns None when the viewer may open the document (the caller then shows it);
    otherwise the response to send: sealed never opens from a link, restricted asks
    for a login. Shared by the notice link and CM/ECF's /doc1/...?magic_num= link.
    """
    document = (
        Document.objects.select_related("entry", "entry__case")
        .filter(pk=document_id, entry_id=recipient.notice.entry_id)
        .first()
    )
    if document is None:
        raise Http404
    expires = recipient.notice.created_at + dt.timedelta(
        days=settings.ECF_LINK_EXPIRY_DAYS
    )
    if timezone.now() >= expires:
        # The free look is over: the link is now only the document's address, under
        # normal access (a public document stays open to everyone).
        return redirect("dockets:document", document_id=document.pk)
    level = effective_document_visibility(document)
    if level == Visibility.SEALED:
        return render(
            request,
            "dockets/pipeline/notice_link_sealed.html",
            {"document": document},
            status=403,
        )
    if not can_view_document(request.user, document):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    services.record_open(recipient=recipient)
    return None


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Check a file (or a pasted SHA-512 digest) against the court's filed documents."""
    context: dict = {"checked": False}
    if request.method == "POST":
        digest = request.POST.get("digest", "").strip()
        upload = request.FILES.get("file")
        error = ""
        if upload is not None:
            if upload.size > settings.ECF_MAX_UPLOAD_BYTES:
                error = "That file is larger than any filed document can be."
            else:
                sha = hashlib.sha512()
                for chunk in upload.chunks():
                    sha.update(chunk)
                digest = sha.hexdigest()
        elif not digest:
            error = "Choose a PDF file to check, or paste its SHA-512 digest."
        elif not DIGEST_RE.match(digest):
            error = "A SHA-512 digest is 128 characters, 0-9 and a-f. Check what you pasted."
        if error:
            context.update(error=error, digest=request.POST.get("digest", ""))
            return render(request, "dockets/pipeline/verify.html", context, status=400)
        matches = services.documents_matching(digest)
        # A document the viewer may not open is not confirmed to exist: the answer
        # for a sealed or restricted file is the same as for a file never filed.
        shown = [
            {"match": m, "visible": True}
            for m in matches
            if can_view_document(request.user, m.document)
        ]
        context.update(checked=True, digest=digest.lower(), matches=shown)
    return render(request, "dockets/pipeline/verify.html", context)


# -- the filer's receipt -----------------------------------------------------------


@login_required
@require_GET
def entry_receipt(request: AuthedRequest, entry_id: int) -> HttpResponse:
    """The NEF receipt: the filing, its documents and who got the notice (sent, bounced, opened).

    Only the filer, whoever keyed the filing, and court users see it.
    """
    entry = access_entry(request.user, entry_id)
    user = request.user
    if not (_court_user(user) or user.pk in (entry.filer_id, entry.entered_by_id)):
        raise Http404
    # A sealed (or court-only) entry shows its text and documents to court users only,
    # the filer included: the receipt obeys dockets.permissions like every other page.
    text_visible = can_see_entry_text(user, entry)
    documents = (
        [
            d
            for d in entry.documents.order_by("sequence", "id")
            if can_view_document(user, d)
        ]
        if text_visible
        else []
    )
    notices = list(
        Notice.objects.filter(entry=entry)
        .order_by("id")
        .prefetch_related("recipients__delivery__message")
    )
    for notice in notices:
        notice.recipient_rows = sorted(
            notice.recipients.all(), key=lambda r: (r.method, r.id)
        )
    return render(
        request,
        "dockets/pipeline/entry_receipt.html",
        {
            "entry": entry,
            "case": entry.case,
            "documents": [(d, stamp_text(d, entry)) for d in documents],
            "notices": notices,
            "court_user": _court_user(user),
            "text_visible": text_visible,
        },
    )


# -- add this case to my account ---------------------------------------------------


@login_required
@require_POST
def case_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Add the case to the user's account so its NEFs reach them (limited filers)."""
    case = access_case(request.user, case_id)
    try:
        created = services.add_case_to_account(user=request.user, case=case)
    except UserFacingError as exc:
        messages.error(request, exc.message)
    else:
        if created:
            messages.success(
                request,
                f"Case {case.display_number} is on your account. You will get its notices.",
            )
        else:
            messages.info(
                request, f"Case {case.display_number} was already on your account."
            )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("cases:summary", kwargs={"case_id": case.pk})
    return redirect(target)


# -- clerk pages -------------------------------------------------------------------


@login_required
@require_GET
def pipeline_failures(request: AuthedRequest) -> HttpResponse:
    """Clerk: documents that could not be stamped and notices that could not be sent."""
    _court_only(request)
    documents, notices = services.failed_work()
    return render(
        request,
        "dockets/pipeline/failures_list.html",
        {"documents": documents, "notices": notices},
    )


@login_required
@require_POST
def pipeline_retry(request: AuthedRequest) -> HttpResponse:
    """Clerk: put one failed document or notice back in the queue."""
    _court_only(request)
    kind = request.POST.get("kind")
    try:
        target = int(request.POST.get("id", ""))
    except ValueError:
        target = None
    try:
        if target is None or kind not in ("document", "notice"):
            raise UserFacingError("Choose a document or notice to retry.")
        message = services.retry_failed(
            actor=request.user,
            document_id=target if kind == "document" else None,
            notice_id=target if kind == "notice" else None,
        )
    except UserFacingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect("dockets:pipeline-failures")


@login_required
@require_GET
def bounces(request: AuthedRequest) -> HttpResponse:
    """Clerk: filer accounts whose e-mail bounced, and the bounced NEF deliveries."""
    _court_only(request)
    filers, recipients = services.bounced_addresses()
    return render(
        request,
        "dockets/pipeline/bounces_list.html",
        {"filers": filers, "recipients": recipients},
    )
