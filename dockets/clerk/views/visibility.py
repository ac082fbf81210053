"""Sealing and restricting: an entry's or a document's visibility, and who may see a sealed entry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import UserFacingError
from filers.http import AuthedRequest
from filers.models import User

from ...models import DocketEntry, Document
from ...permissions import access_entry
from .. import services
from ..forms import (
    DocumentVisibilityForm,
    EntryVisibilityForm,
    SealAllowanceForm,
    SealRevokeForm,
)
from ..permissions import require_clerk
from .common import entry_for_clerk, show_refusal


@login_required
@require_http_methods(["GET", "POST"])
def entry_visibility(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = entry_for_clerk(request, entry_id)
    form = EntryVisibilityForm(
        request.POST or None,
        initial={"visibility": entry.visibility, "visible_from": entry.visible_from},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_entry_visibility(
                entry=entry,
                clerk=request.user,
                visibility=form.cleaned_data["visibility"],
                reason=form.cleaned_data["reason"],
                visible_from=form.cleaned_data["visible_from"],
            )
            messages.success(
                request,
                "Access changed. It applies at once everywhere the entry appears.",
            )
            return redirect("dockets:entry-visibility", entry_id=entry.pk)
        except UserFacingError as error:
            show_refusal(request, form, error)
    return _render_entry_visibility(request, entry, form=form)


def _render_entry_visibility(
    request: HttpRequest,
    entry: DocketEntry,
    *,
    form=None,
    allow_form=None,
    status: int | None = None,
) -> HttpResponse:
    form = form or EntryVisibilityForm(
        initial={"visibility": entry.visibility, "visible_from": entry.visible_from}
    )
    allow_form = allow_form or SealAllowanceForm(
        candidates=services.seal_allow_list_candidates(entry), prefix="allow"
    )
    return render(
        request,
        "dockets/clerk/entry_visibility.html",
        {
            "entry": entry,
            "form": form,
            "allow_form": allow_form,
            "allowances": entry.seal_allowances.select_related(
                "user", "added_by"
            ).order_by("created_at"),
            "documents": entry.documents.order_by("sequence", "id"),
        },
        status=status or (400 if request.method == "POST" else 200),
    )


@login_required
@require_POST
def entry_seal_allow(request: AuthedRequest, entry_id: int) -> HttpResponse:
    """Add a person named by the sealing order to the entry's allow-list."""
    entry = entry_for_clerk(request, entry_id)
    form = SealAllowanceForm(
        request.POST,
        candidates=services.seal_allow_list_candidates(entry),
        prefix="allow",
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["participant"]:
            user = User.objects.filter(pk=data["participant"]).first()
        else:
            user = User.objects.filter(email__iexact=data["email"]).first()
        try:
            allowance = services.allow_sealed_entry(
                entry=entry, clerk=request.user, user=user, reason=data["reason"]
            )
            messages.success(
                request,
                f"{allowance.user.email} may now read this sealed entry and its documents.",
            )
            return redirect("dockets:entry-visibility", entry_id=entry.pk)
        except UserFacingError as error:
            show_refusal(request, form, error)
    return _render_entry_visibility(request, entry, allow_form=form, status=400)


@login_required
@require_POST
def entry_seal_revoke(request: AuthedRequest, entry_id: int) -> HttpResponse:
    """Remove a person from the entry's sealing allow-list."""
    entry = entry_for_clerk(request, entry_id)
    form = SealRevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_sealed_entry_allowance(
                entry=entry,
                clerk=request.user,
                allowance_id=form.cleaned_data["allowance"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "Removed; their access ended at once.")
            return redirect("dockets:entry-visibility", entry_id=entry.pk)
        except UserFacingError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "Give the reason for removing this person.")
    return _render_entry_visibility(request, entry, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def document_visibility(request: AuthedRequest, document_id: int) -> HttpResponse:
    require_clerk(request.user)
    document = Document.objects.select_related("entry").filter(pk=document_id).first()
    if document is None:
        raise Http404
    entry = access_entry(request.user, document.entry_id)
    form = DocumentVisibilityForm(
        request.POST or None,
        entry=entry,
        prefix="doc",
        initial={"document": document, "visibility": document.visibility},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_document_visibility(
                document=form.cleaned_data["document"],
                clerk=request.user,
                visibility=form.cleaned_data["visibility"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "The document's access changed.")
            return redirect("dockets:entry-visibility", entry_id=entry.pk)
        except UserFacingError as error:
            show_refusal(request, form, error)
    return render(
        request,
        "dockets/clerk/document_visibility.html",
        {"entry": entry, "document": document, "form": form},
        status=400 if request.method == "POST" else 200,
    )
