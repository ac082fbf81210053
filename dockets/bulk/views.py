"""A case's ZIP of public documents: ask for it, watch its progress, download it."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cases.permissions import access_case

from .models import CaseZipJob
from .zips import request_case_zip


@require_POST
def case_zip_request(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    job = request_case_zip(case=case, user=request.user)
    return redirect("dockets:case-zip-status", token=job.token)


def _job(request, token: str) -> CaseZipJob:
    job = CaseZipJob.objects.select_related("case").filter(token=token).first()
    if job is None:
        raise Http404
    access_case(request.user, job.case_id)
    return job


@require_GET
def case_zip_status(request: HttpRequest, token: str) -> HttpResponse:
    job = _job(request, token)
    return render(
        request, "dockets/bulk/case_zip_status.html", {"job": job, "case": job.case}
    )


@require_GET
def case_zip_download(request: HttpRequest, token: str) -> FileResponse:
    job = _job(request, token)
    if job.status != CaseZipJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        default_storage.open(job.file.name, "rb"),
        as_attachment=True,
        filename=f"{job.case.display_number}-public-documents.zip",
        content_type="application/zip",
    )
