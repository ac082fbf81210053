"""Quality control: the clerk's queue, a review, a document under review, and the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from core.downloads import protected_file_response
from core.errors import UserFacingError
from filers.http import AuthedRequest

from ...models import Document
from .. import selectors, services
from ..forms import (
    CaseLookupForm,
    NoteForm,
    QcFilterForm,
)
from ..permissions import require_clerk, require_court_user
from .common import entry_for_clerk


@login_required
@require_GET
def qc_queue(request: AuthedRequest) -> HttpResponse:
    require_clerk(request.user)
    form = QcFilterForm(request.GET or None)
    filters = selectors.QcFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QcFilters(
            status=data["status"] or "pending",
            office=data["office"].pk if data["office"] else None,
            chapter=data["chapter"],
            judge=data["judge"].pk if data["judge"] else None,
            event=data["event"].strip(),
            filer=data["filer"],
            older_than_days=data["older_than_days"],
            case=data["case"].strip(),
        )
    page = selectors.qc_queue(filters, after=request.GET.get("after", ""))
    params = request.GET.copy()
    params.pop("after", None)
    next_url = ""
    if page.next_cursor:
        params["after"] = page.next_cursor
        next_url = f"?{params.urlencode()}"
    return render(
        request,
        "dockets/clerk/qc_queue.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "next_url": next_url,
            "review_form": NoteForm(),
        },
    )


@login_required
@require_POST
def qc_review(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = entry_for_clerk(request, entry_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.mark_entry_reviewed(entry=entry, clerk=request.user, note=note)
        messages.success(
            request,
            f"Entry {services._ref(entry)} in case {entry.case.display_number} marked reviewed.",
        )
    except UserFacingError as error:
        messages.error(request, error.message)
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("dockets:qc-queue")


@login_required
@require_GET
def qc_document(
    request: AuthedRequest, document_id: int
) -> HttpResponse | FileResponse:
    """Show a filed PDF inline to a court user (the original; replaced ones too)."""
    require_court_user(request.user)
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        raise Http404
    field = (
        document.stamped
        if document.stamped and request.GET.get("original") != "1"
        else document.original
    )
    if not field.name:
        raise Http404
    return protected_file_response(
        field.name, filename=f"document-{document.pk}.pdf", as_attachment=False
    )


@login_required
@require_GET
def clerk_dashboard(request: AuthedRequest) -> HttpResponse:
    require_clerk(request.user)
    lookup = CaseLookupForm(request.GET or None)
    found = (
        lookup.cleaned_data["case_number"]
        if request.GET and lookup.is_valid()
        else None
    )
    return render(
        request,
        "dockets/clerk/dashboard.html",
        {
            "lookup": lookup,
            "found": found,
            "board": selectors.dashboard(),
            "failures_url": reverse("dockets:pipeline-failures"),
        },
    )
