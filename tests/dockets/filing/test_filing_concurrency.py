"""Docket numbers under load: real threads, each with its own PostgreSQL connection."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest
from django.db import connection

if TYPE_CHECKING:
    from cases.models import Case

pytestmark = pytest.mark.django_db(transaction=True)


def _run_threads(target, args_list):
    barrier = threading.Barrier(len(args_list))
    errors: list[BaseException] = []
    results: list = [None] * len(args_list)

    def worker(index, args):
        try:
            barrier.wait(timeout=30)
            results[index] = target(*args)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(args_list)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    return results


def _file(case_id: int, user_id: int, event_id: int, key: str | None = None) -> int:
    from cases.models import Case
    from dockets.models import Event
    from dockets.services import FilingRequest, file_docket_entry
    from filers.models import User

    request = FilingRequest(
        case=Case.objects.get(pk=case_id),
        events=[Event.objects.get(pk=event_id)],
        filer=User.objects.get(pk=user_id),
        idempotency_key=key,
    )
    return file_docket_entry(request).pk


def _numbers(case: Case) -> list[int | None]:
    """The case's entry numbers in order (a missing number sorts first)."""
    from dockets.models import DocketEntry

    numbers = DocketEntry.objects.filter(case=case).values_list("number", flat=True)
    return sorted(numbers, key=lambda number: -1 if number is None else number)


def test_64_concurrent_filers_get_gap_free_numbers(demo):
    """32 filers on one case and 32 spread over 8 other cases: each case's numbers are exactly 1..N."""
    from dockets.models import Event

    from .filing_helpers import make_case

    attorney = demo.users["attorney"]
    event = Event.objects.get(code="crtnef")
    busy = make_case(demo.court, title="Busy Debtor")
    others = [make_case(demo.court, title=f"Other Debtor {i}") for i in range(8)]
    jobs = [(busy.pk, attorney.pk, event.pk) for _ in range(32)]
    jobs += [(others[i % 8].pk, attorney.pk, event.pk) for i in range(32)]
    ids = _run_threads(_file, jobs)
    assert len(set(ids)) == 64
    assert _numbers(busy) == list(range(1, 33))
    for case in others:
        assert _numbers(case) == [1, 2, 3, 4]
        case.refresh_from_db()
        assert case.last_entry_number == 4
    busy.refresh_from_db()
    assert busy.last_entry_number == 32


def test_concurrent_submits_with_one_key_file_once(demo):
    """Eight simultaneous submits of the same filing (double clicks, retries) make one entry."""
    from dockets.models import DocketEntry, Event

    from .filing_helpers import make_case

    attorney = demo.users["attorney"]
    event = Event.objects.get(code="crtnef")
    case = make_case(demo.court, title="Retry Debtor")
    ids = _run_threads(
        _file, [(case.pk, attorney.pk, event.pk, "same-key") for _ in range(8)]
    )
    assert len(set(ids)) == 1
    assert DocketEntry.objects.filter(case=case).count() == 1


def _file_draft(case_id: int, user_id: int, event_id: int, key: str, pdf: str) -> int:
    """One submit of a filing as the wizard and the API make it (file_request)."""
    from cases.models import Case
    from dockets.filing.models import Draft
    from dockets.filing.services import file_request
    from dockets.filing.wizard import Chosen
    from dockets.models import Event
    from dockets.services import FilingRequest, UploadedDocument
    from filers.models import User

    case = Case.objects.get(pk=case_id)
    user = User.objects.select_related("filer").get(pk=user_id)
    event = Event.objects.get(pk=event_id)
    draft = Draft(owner=user, principal=user, case=case, idempotency_key=key, state={})
    request = FilingRequest(
        case=case,
        events=[event],
        filer=user,
        documents=[UploadedDocument.from_path(pdf, page_count=1)],
        idempotency_key=key,
    )
    chosen = Chosen(events=[event], parties=[], against=[], related=[], joint=[])
    return file_request(draft=draft, user=user, request=request, chosen=chosen).pk


def test_concurrent_submits_of_one_draft_file_once_and_keep_one_file(demo, tmp_path):
    """Six simultaneous submits of one draft's key through file_request (the wizard's
    and the API's last step): one entry numbered 1, the case counter unmoved by the
    five refused INSERTs, and only the filed document's file left in storage."""
    from django.core.files.storage import default_storage
    from pdfmaker import make_pdf

    from dockets.models import DocketEntry, Document, Event

    from .filing_helpers import make_case

    attorney = demo.users["attorney"]
    event = Event.objects.get(code="crtnef")
    case = make_case(demo.court, title="Double Click Debtor")
    pdfs = [str(make_pdf(tmp_path / f"m{i}.pdf")) for i in range(6)]
    ids = _run_threads(
        _file_draft,
        [(case.pk, attorney.pk, event.pk, "draft-same", pdf) for pdf in pdfs],
    )
    assert len(set(ids)) == 1
    assert _numbers(case) == [1]
    case.refresh_from_db()
    assert case.last_entry_number == 1 and case.last_entry_seq == 1
    document = Document.objects.get(entry__case=case)
    _folders, files = default_storage.listdir(f"documents/{case.pk}")
    assert [f"documents/{case.pk}/{name}" for name in files] == [document.original.name]
    assert DocketEntry.objects.get(pk=ids[0]).idempotency_key == "draft-same"
