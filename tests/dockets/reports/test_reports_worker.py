"""The PDF docket sheet through a real Celery worker: queued on commit, progress on
the status row, and a download link once the worker has finished."""

from __future__ import annotations

import pytest
from django.urls import reverse
from reports_helpers import bulk_entries, wait_for

from dockets.reports.models import DocketSheetJob

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_makes_the_docket_sheet(world, client, celery_worker_process):
    bulk_entries(world.case, 60)
    response = client.post(
        reverse("dockets:docket-pdf", kwargs={"case_id": world.case.pk})
    )
    job = DocketSheetJob.objects.get()
    assert response.url == reverse(
        "dockets:docket-pdf-status", kwargs={"token": job.token}
    )

    def finished():
        job.refresh_from_db()
        return job.status in (DocketSheetJob.Status.DONE, DocketSheetJob.Status.FAILED)

    wait_for(finished, timeout=90)
    assert job.status == DocketSheetJob.Status.DONE, job.error_message
    assert client.get(response.url + "?format=json").json() == {
        "status": "done",
        "percent": 100,
        "done": 60,
        "total": 60,
        "ready": True,
    }
    page = client.get(response.url).content.decode()
    download = reverse("dockets:docket-pdf-download", kwargs={"token": job.token})
    assert "Download the docket sheet (PDF)" in page and download in page
    pdf = client.get(download)
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
