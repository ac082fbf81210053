"""Every write path stores its files before the case lock, and leaves nothing behind when it fails.

Each path runs with tests/lockwatch.py's storage, which records for every file saved
whether the code under test held a row lock at that moment (the case row, the notice
row, the rotation...). The files must all be written outside any lock; a storage
outage must leave no row; a transaction that aborts after the files were stored
must leave no file (dockets.services.documents_stored deletes them).
"""

import datetime as dt
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.db import transaction
from pdfmaker import make_pdf

from cases.models import Case, Office
from cases.services import PartyData
from dockets import services
from dockets.claims.models import Claim
from dockets.models import DocketEntry, Document, Event
from dockets.pipeline.models import PaperNotice
from dockets.services import FilingRequest, UploadedDocument, create_entry, lock_case

_here = Path(__file__).resolve().parent
for folder in ("claims", "pipeline"):
    sys.path.insert(0, str(_here / folder))
from claimkit import claim_data, make_case  # noqa: E402
from lockwatch import watching  # noqa: E402
from pipeline_helpers import build_case, file_entry  # noqa: E402

pytestmark = pytest.mark.django_db


class World:
    def __init__(self, demo, tmp: Path):
        self.demo, self.tmp, self.users = demo, tmp, demo.users
        self.pc = build_case(demo)
        self.case = self.pc.case
        self.n = 0

    def pdf(self, text="DOCUMENT") -> UploadedDocument:
        self.n += 1
        path = make_pdf(self.tmp / f"upload-{self.n}.pdf", text=f"{text} {self.n}")
        return UploadedDocument.from_path(path, filename=f"u{self.n}.pdf", page_count=1)

    def motion(self, *attachments: str) -> DocketEntry:
        documents = [self.pdf("MOTION")]
        for description in attachments:
            document = self.pdf(description)
            document.description = document.attachment_type = description
            documents.append(document)
        return services.file_docket_entry(
            FilingRequest(
                case=self.case,
                events=[Event.objects.get(code="msj")],
                filer=self.users["attorney"],
                parties=[self.pc.debtor],
                documents=documents,
            )
        )

    def claim(self) -> Claim:
        from dockets.claims.services import file_claim

        return file_claim(
            case=self.case, data=claim_data(), filer=self.users["creditor"]
        ).claim


def _debtor(name="Rosa M. Alvarez") -> PartyData:
    return PartyData(
        role="",
        name=name,
        tax_id_kind="ssn",
        tax_id_digits="512345678",
        address_lines=["1 A St"],
        city="San Diego",
        state="CA",
        zip_code="92101",
    )


# Each path: set up what it needs, return the write to watch.


def wizard_service(w):
    return lambda: w.motion("Exhibit A")


def open_case(w):
    from dockets.case_opening import PetitionRequest, open_voluntary_case

    request = PetitionRequest(
        filer=w.users["attorney"],
        office=Office.objects.get(court=w.demo.court, number=3),
        chapter="7",
        debtors=[_debtor()],
        petition=w.pdf("PETITION"),
    )
    return lambda: open_voluntary_case(request)


def open_adversary(w):
    from dockets.case_opening import ComplaintRequest, open_adversary_proceeding

    request = ComplaintRequest(
        filer=w.users["attorney"],
        lead_case=w.case,
        plaintiffs=[PartyData(role="", name="Maria L. Gonzalez")],
        defendants=[PartyData(role="", name="Coastal Federal Credit Union")],
        nature_of_suit=["91"],
        complaint=w.pdf("COMPLAINT"),
    )
    return lambda: open_adversary_proceeding(request)


def file_claim(w):
    from dockets.claims.services import file_claim as service

    attachment = w.pdf("NOTE")
    return lambda: service(
        case=w.case,
        data=claim_data(),
        filer=w.users["creditor"],
        attachments=[attachment],
    )


def epoc_claim(w):
    from dockets.claims.services import file_claim as service

    attachment = w.pdf("NOTE")
    return lambda: service(
        case=w.case, data=claim_data(), epoc=True, attachments=[attachment]
    )


def amend_claim(w):
    from dockets.claims.services import amend_claim as service

    claim, attachment = w.claim(), w.pdf("NOTE")
    return lambda: service(
        claim=claim,
        data=claim_data(amount_cents=100_000, unsecured_cents=100_000, secured_cents=0),
        filer=w.users["creditor"],
        attachments=[attachment],
    )


def transfer_claim(w):
    from dockets.claims.claim_events import transfer_claim as service

    claim, evidence = w.claim(), w.pdf("FORM 2100A")
    return lambda: service(
        claim=claim,
        filer=w.users["attorney2"],
        transferee_name="Jefferson Capital Systems LLC",
        transferee_address="P.O. Box 7999\nSaint Cloud, MN 56302",
        document=evidence,
    )


def withdraw_claim(w):
    from dockets.claims.claim_events import withdraw_claim as service

    claim, document = w.claim(), w.pdf("WITHDRAWAL")
    return lambda: service(claim=claim, filer=w.users["creditor"], document=document)


def claim_supplement(w):
    from dockets.claims.claim_events import file_claim_supplement
    from dockets.claims.services import file_claim as service

    case = make_case(w.demo, chapter="13", title="Luis Ortega")
    claim = service(case=case, data=claim_data(), filer=w.users["creditor"]).claim
    document = w.pdf("PAYMENT CHANGE")
    return lambda: file_claim_supplement(
        claim=claim,
        filer=w.users["creditor"],
        code="pstfee",
        fields={"fees_amount": "$350.00", "incurred_on": "01/01/2027"},
        document=document,
    )


def clerk_paper_filing(w):
    from dockets.clerk.services import docket_paper_filing

    document = w.pdf("NOTICE OF APPEARANCE")
    return lambda: docket_paper_filing(
        case=w.case,
        clerk=w.users["clerk"],
        event=Event.objects.get(code="ntcapr"),
        party_name="Sharp Memorial Hospital",
        documents=[document],
    )


def clerk_paper_petition(w):
    from dockets.clerk.services import docket_paper_petition

    petition = w.pdf("PETITION")
    return lambda: docket_paper_petition(
        clerk=w.users["clerk"],
        office=Office.objects.get(court=w.demo.court, number=3),
        chapter="7",
        debtor=_debtor(),
        petition=petition,
    )


def clerk_court_event(w):
    from dockets.clerk.services import docket_court_event

    motion, order = w.motion(), w.pdf("ORDER")
    return lambda: docket_court_event(
        case=w.case,
        clerk=w.users["clerk"],
        event=Event.objects.get(code="order"),
        values={"disposition": "Granting"},
        related=[motion],
        document=order,
    )


def sign_proposed_order(w):
    from dockets.clerk.services import sign_proposed_order as service

    proposed = w.motion("Proposed Order").documents.get(description="Proposed Order")
    return lambda: service(
        document=proposed,
        judge=w.users["judge"],
        event=Event.objects.get(code="order"),
        values={"disposition": "Granting"},
    )


def replace_document(w):
    from dockets.clerk.services import replace_document as service

    old, upload = w.motion().documents.get(), w.pdf("RIGHT PDF")
    return lambda: service(
        document=old, clerk=w.users["clerk"], upload=upload, reason="Incorrect PDF"
    )


def move_entry_to_case(w):
    from dockets.clerk.services import move_entry_to_case as service

    entry = w.motion("Exhibit A")
    other = make_case(w.demo, title="James T. Whitfield")
    return lambda: service(entry=entry, clerk=w.users["clerk"], target=other)


def bnc_certificate(w):
    from dockets.pipeline.paper import mail_paper_notices
    from dockets.pipeline.sending import build_notice
    from dockets.pipeline.stamping import stamp_entry

    entry = file_entry(
        w.pc,
        w.tmp,
        code="ntcpoc",
        filer=w.users["clerk"],
        fields={"claims_bar": dt.date(2027, 3, 1)},
        parties=[],
    )
    (notice_id,) = stamp_entry(entry_id=entry.pk)
    build_notice(notice_id=notice_id)
    return lambda: mail_paper_notices(notice_id=notice_id)


PATHS = [
    wizard_service,
    open_case,
    open_adversary,
    file_claim,
    epoc_claim,
    amend_claim,
    transfer_claim,
    withdraw_claim,
    claim_supplement,
    clerk_paper_filing,
    clerk_paper_petition,
    clerk_court_event,
    sign_proposed_order,
    replace_document,
    move_entry_to_case,
    bnc_certificate,
]


def _rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Case, DocketEntry, Document, Claim, PaperNotice)
    }


def _stored() -> set[str]:
    root = Path(default_storage.path(""))
    return {str(p.relative_to(root)) for p in root.rglob("*.pdf")}


@pytest.fixture
def world(demo, tmp_path, settings):
    with watching(settings) as watch:
        yield World(demo, tmp_path), watch


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.__name__)
def test_files_are_stored_outside_every_lock(world, path):
    w, watch = world
    write = path(w)
    watch.saves.clear()
    before = _rows()
    write()
    assert _rows() != before, "the write path wrote nothing"
    assert watch.saves, "the write path stored no file"
    assert watch.under_lock == [], (
        f"stored while holding a row lock: {watch.under_lock}"
    )


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.__name__)
def test_a_storage_outage_writes_no_row(world, path):
    w, watch = world
    write = path(w)
    before, files = _rows(), _stored()
    watch.fail_after = 0
    with pytest.raises(OSError, match="storage unavailable"):
        write()
    assert _rows() == before
    assert _stored() == files


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.__name__)
def test_an_aborted_transaction_leaves_no_stored_file(world, path):
    """The transaction fails at its first document row, after the files were stored:
    no row is left, and no file either."""
    w, watch = world
    write = path(w)
    before, files = _rows(), _stored()
    watch.saves.clear()
    watch.abort_on = 'INSERT INTO "dockets_document"'
    with pytest.raises(RuntimeError, match="after the files were stored"):
        write()
    assert watch.saves, "nothing was stored before the failure"
    assert _rows() == before
    assert _stored() == files


def test_the_watch_sees_a_file_stored_under_the_case_lock(world):
    """The control: a write made while the case row is locked is reported as such."""
    from django.core.files.base import ContentFile

    w, watch = world
    with transaction.atomic():
        lock_case(w.case.pk)
        default_storage.save("documents/x.pdf", ContentFile(b"%PDF-1.4"))
    assert watch.under_lock == [(watch.saves[0][0], "cases_case")]


def test_an_entry_refuses_a_document_not_stored_before_the_lock(world):
    """create_entry never copies bytes itself: a path that skips documents_stored fails loudly."""
    w, _watch = world
    request = FilingRequest(
        case=w.case,
        events=[Event.objects.get(code="msj")],
        filer=w.users["attorney"],
        documents=[w.pdf()],
    )
    with (
        pytest.raises(ImproperlyConfigured, match="not stored before"),
        transaction.atomic(),
    ):
        create_entry(request, case=lock_case(w.case.pk))


def test_a_second_file_failing_removes_the_first(world):
    w, watch = world
    first, second = w.pdf(), w.pdf()
    files = _stored()
    watch.fail_after = 1
    with (
        pytest.raises(OSError, match="storage unavailable"),
        services.documents_stored([first, second], case_id=w.case.pk),
    ):
        pytest.fail("the block must not run")
    assert len(watch.saves) == 1
    assert _stored() == files
    assert first.stored_name == second.stored_name == ""
