"""The short write path: files reach storage before the case lock, and only then."""

import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from pdfmaker import make_pdf

from core.errors import UserFacingError
from dockets import services
from dockets.models import DocketEntry, Document, Event
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

# The case-opening helper's folder, as pytest imports it (the module `test_services`).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cases"))
from test_services import open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf(tmp_path):
    path = make_pdf(tmp_path / "p.pdf")
    return UploadedDocument.from_path(path, filename="p.pdf", page_count=1)


@pytest.fixture
def steps(monkeypatch):
    """The order in which a filing stores files and takes the case lock."""
    seen = []
    real_lock, real_save = services.lock_case, default_storage.save

    def lock(case_id):
        seen.append("lock")
        return real_lock(case_id)

    def save(name, content, **kwargs):
        seen.append("store")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(services, "lock_case", lock)
    monkeypatch.setattr(default_storage, "save", save)
    return seen


def stored_in(case) -> set[str]:
    """The files in the case's storage folder (none yet: an empty set)."""
    folder = f"documents/{case.pk}"
    return (
        set(default_storage.listdir(folder)[1])
        if default_storage.exists(folder)
        else set()
    )


def motion(demo, case, tmp_path, **extra):
    path = make_pdf(tmp_path / "motion.pdf")
    return FilingRequest(
        case=case,
        events=[Event.objects.get(code="extime")],
        filer=demo.users["attorney"],
        fields={"extend_what": "respond"},
        documents=[UploadedDocument.from_path(path, page_count=1)],
        **extra,
    )


def test_files_are_stored_before_the_case_is_locked(demo, pdf, tmp_path, steps):
    case = open_case(demo, pdf)
    steps.clear()
    entry = file_docket_entry(motion(demo, case, tmp_path))
    assert steps == ["store", "lock"]
    document = entry.documents.get()
    assert document.original.name.startswith(f"documents/{case.pk}/")
    assert default_storage.exists(document.original.name)
    assert document.original.read() == (tmp_path / "motion.pdf").read_bytes()


def test_a_refused_filing_leaves_no_file_behind(demo, pdf, tmp_path, steps):
    case = open_case(demo, pdf)
    DocketEntry.objects.filter(case=case)  # opened
    court = FilingRequest(
        case=case, events=[Event.objects.get(code="close")], filer=demo.users["clerk"]
    )
    file_docket_entry(court)
    before = stored_in(case)
    request = motion(demo, case, tmp_path)
    with pytest.raises(UserFacingError, match="closed"):
        file_docket_entry(request)
    assert stored_in(case) == before
    assert request.documents[0].stored_name == ""


def test_a_repeated_key_files_once_and_keeps_one_copy(
    demo, pdf, tmp_path, django_capture_on_commit_callbacks
):
    case = open_case(demo, pdf)
    with django_capture_on_commit_callbacks(execute=True):
        first = file_docket_entry(motion(demo, case, tmp_path, idempotency_key="k-1"))
    files = stored_in(case)
    with django_capture_on_commit_callbacks(execute=True):
        again = file_docket_entry(motion(demo, case, tmp_path, idempotency_key="k-1"))
    assert again.pk == first.pk
    assert (
        Document.objects.filter(entry__case=case, entry__idempotency_key="k-1").count()
        == 1
    )
    assert stored_in(case) == files
