"""Faults survived in-process: a storage error during a filing, the database going away mid-request.
(The worker-kill drill lives in tests/dockets/pipeline/test_pipeline_worker.py.)"""

import errno

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from seckit import file_pdf_entry, make_case

from core.audit import verify_chain
from core.models import AuditEvent
from dockets.models import DocketEntry, Document

pytestmark = pytest.mark.django_db


def test_disk_full_during_upload_leaves_no_half_saved_entry(demo, monkeypatch):
    case = make_case(demo.court, title="Disk Full")
    file_pdf_entry(case, demo.users["attorney"])  # one good filing first
    entries, documents, events = (
        DocketEntry.objects.count(),
        Document.objects.count(),
        AuditEvent.objects.count(),
    )

    def full(self, name, content, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    with pytest.raises(OSError, match="No space left on device"):
        file_pdf_entry(case, demo.users["attorney"])
    assert (
        DocketEntry.objects.count(),
        Document.objects.count(),
        AuditEvent.objects.count(),
    ) == (entries, documents, events)
    case.refresh_from_db()
    monkeypatch.undo()
    # The number was not used up: the next filing gets the next number, the chain is intact.
    entry = file_pdf_entry(case, demo.users["attorney"])
    assert entry.number == 2
    assert verify_chain() == []
    print("\nfaults: storage error during upload survived, 0 records lost")


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_database_unavailable_shows_try_again_page_then_recovers(
    demo, monkeypatch, signed_in
):
    """The database goes away: a clean "try again" 503, then the same app answers once it
    is back. Signed in too: the session lives in the database that is down."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    case = make_case(demo.court, title="Database Away")
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(demo.users["attorney"])
    url = reverse("cases:summary", kwargs={"case_id": case.pk})
    assert client.get(url).status_code == 200

    def down(self, *args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(DatabaseWrapper, "cursor", down)
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.content.decode()
    assert "try again" in body.lower()
    assert (
        "Traceback" not in body
        and "OperationalError" not in body
        and "Connection refused" not in body
    )
    assert client.get(url).status_code == 200  # no restart of the app needed
