"""The Claims Upload page and the Claims Upload Log (limited-access large filers).

Upload a ZIP (docs/claims-upload.md); the log lists the filer's batches, and each
batch's page shows its progress and every claim's result, refreshing itself (a plain
meta refresh, no script) until the batch is done.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.errors import NotAllowed, UserFacingError
from filers.http import AuthedRequest

from .batch import access_batch, batches_for, receive_batch, uploader_problem


class ClaimsUploadForm(forms.Form):
    upload = forms.FileField(
        label="Claims upload ZIP",
        help_text="A .zip of 1 to 25 claim functions: the XML data file(s), the claim forms and the PDFs they name.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def claims_upload(request: AuthedRequest) -> HttpResponse:
    problem = uploader_problem(request.user)
    form = ClaimsUploadForm(request.POST or None, request.FILES or None)
    if not problem and request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        if upload.size > settings.ECF_CLAIMS_UPLOAD_MAX_ZIP_BYTES:
            form.add_error(
                "upload", "The ZIP is larger than the court accepts for one upload."
            )
        else:
            try:
                batch, new = receive_batch(
                    user=request.user,
                    data=upload.read(),
                    source="page",
                    file_name=upload.name or "",
                )
            except (UserFacingError, NotAllowed) as error:
                form.add_error("upload", getattr(error, "message", str(error)))
            else:
                if new and getattr(batch, "dispatch_failed", False):
                    messages.warning(
                        request,
                        f"Batch {batch.batch_id} is stored and queued, but filing has not "
                        "started: the court's filing service is unavailable. It starts "
                        "automatically when the service is back; do not send it again.",
                    )
                elif new:
                    messages.success(
                        request,
                        f"Batch {batch.batch_id} received: {batch.total} claim function(s) are being filed.",
                    )
                else:
                    messages.warning(
                        request,
                        f"Batch {batch.batch_id} was already received on "
                        f"{batch.created_at:%m/%d/%Y}; it was not filed again.",
                    )
                return redirect("dockets:claims-upload-batch", batch_pk=batch.pk)
    page = Paginator(batches_for(request.user).filter(filer=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dockets/claims/claims_upload.html",
        {"form": form, "problem": problem, "page": page},
        status=403 if problem else 200,  # the page says why this account cannot upload
    )


@login_required
@require_http_methods(["GET"])
def claims_upload_batch(request: AuthedRequest, batch_pk: int) -> HttpResponse:
    batch = access_batch(request.user, batch_pk)
    items = batch.items.select_related("entry").order_by("index")
    return render(
        request,
        "dockets/claims/claims_upload_batch.html",
        {
            "batch": batch,
            "items": items,
            "running": batch.status in ("queued", "running"),
            "waiting": batch.status == "queued"
            and (timezone.now() - batch.created_at).total_seconds() > 30,
        },
    )


@require_http_methods(["GET"])
def claims_upload_spec(request: HttpRequest) -> HttpResponse:
    """The published claims upload format (docs/claims-upload.md), as plain text in a page."""
    text = (settings.BASE_DIR / "docs" / "claims-upload.md").read_text(encoding="utf-8")
    return render(request, "dockets/claims/claims_upload_spec.html", {"text": text})
