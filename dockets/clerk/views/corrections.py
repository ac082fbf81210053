"""Corrections of a docketed entry (text, event, party, related entries, and the rest)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.errors import UserFacingError
from filers.http import AuthedRequest
from filers.models import User

from ...models import DocketEntry
from ...permissions import access_entry
from ...uploads import held_documents, keep_form_upload, release_held
from .. import services
from ..forms import (
    CorrectiveForm,
    EnteredInErrorForm,
    ModifyTextForm,
    MoveForm,
    ReplaceDocumentForm,
    StrikeForm,
)
from .common import entry_for_clerk, show_refusal

CORRECTION_FORMS = {
    "corrective": ("corr", CorrectiveForm),
    "entered_in_error": ("eie", EnteredInErrorForm),
    "modify_text": ("text", ModifyTextForm),
    "replace_document": ("repl", ReplaceDocumentForm),
    "strike": ("strike", StrikeForm),
    "move": ("move", MoveForm),
}


def _correction_forms(
    entry: DocketEntry, data=None, files=None, action: str = ""
) -> dict:
    forms = {}
    for name, (prefix, cls) in CORRECTION_FORMS.items():
        bound = data if name == action else None
        kwargs: dict[str, Any] = {"prefix": prefix}
        if cls in (ReplaceDocumentForm, StrikeForm):
            kwargs["entry"] = entry
        if cls is ModifyTextForm and bound is None:
            kwargs["initial"] = {"text": entry.text}
        forms[name] = cls(bound, files if bound is not None else None, **kwargs)
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def entry_correct(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = entry_for_clerk(request, entry_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in CORRECTION_FORMS:
        messages.error(request, "Pick one of the corrections on this page.")
        return redirect("dockets:entry-correct", entry_id=entry.pk)
    forms = _correction_forms(entry, request.POST, request.FILES, action)
    kept: list = []
    if request.method == "POST":
        form = forms[action]
        if action == "replace_document":
            # The corrected PDF is checked now and kept across any form error.
            kept = keep_form_upload(request, form, "upload")
        if form.is_valid():
            data = form.cleaned_data
            try:
                with held_documents(kept) as documents:
                    if documents:
                        data["upload"] = documents[0]
                    done = _correct(entry, request.user, action, data)
                release_held(kept)
                messages.success(request, done)
                return redirect("dockets:entry-correct", entry_id=entry.pk)
            except UserFacingError as error:
                show_refusal(request, form, error)
    entry = access_entry(request.user, entry.pk)
    return render(
        request,
        "dockets/clerk/entry_correct.html",
        {
            "entry": entry,
            "forms": forms,
            "documents": entry.documents.order_by("sequence", "id"),
            "revisions": entry.revisions.select_related("changed_by"),
            "referred_by": entry.referred_by.select_related("event").order_by("seq"),
            "docket_url": reverse("dockets:docket", kwargs={"case_id": entry.case_id}),
            "kept": kept,
        },
        status=400 if request.method == "POST" else 200,
    )


def _correct(entry: DocketEntry, clerk: User, action: str, data: dict) -> str:
    if action == "corrective":
        new = services.docket_corrective_entry(
            entry=entry, clerk=clerk, correction=data["correction"], note=data["note"]
        )
        return f"Corrective entry {services._ref(new)} docketed."
    if action == "entered_in_error":
        new = services.mark_entered_in_error(
            entry=entry, clerk=clerk, reason=data["reason"]
        )
        return f"Entry marked entered in error; notice {services._ref(new)} docketed."
    if action == "modify_text":
        services.modify_docket_text(
            entry=entry, clerk=clerk, text=data["text"], reason=data["reason"]
        )
        return "Docket text modified; the parties are sent a notice of the change."
    if action == "replace_document":
        services.replace_document(
            document=data["document"],
            clerk=clerk,
            upload=data["upload"],
            reason=data["reason"],
        )
        return "PDF replaced. The old one is kept on the record, visible to court users only."
    if action == "strike":
        services.strike_entry(entry=entry, clerk=clerk, order=data["order"])
        return "Entry stricken."
    moved = services.move_entry_to_case(
        entry=entry, clerk=clerk, target=data["case_number"]
    )
    return f"Re-docketed in case {moved.case.display_number} as entry {services._ref(moved)}; the filer was told."
