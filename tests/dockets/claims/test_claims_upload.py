"""Claims upload: each claim function filed or refused on its own, the log, idempotency, API."""

import pytest
import testkit
from batchkit import add_function, batch_xml, make_zip, transfer_function
from claimkit import claim_data, make_case
from pdfmaker import pdf_bytes

from core.errors import UserFacingError
from dockets.claims import services
from dockets.claims.batch import process_batch, receive_batch
from dockets.claims.batch_models import ClaimBatch, ClaimBatchItem
from dockets.models import Claim, DocketEntry

pytestmark = pytest.mark.django_db

NOTE = pdf_bytes(text="PROMISSORY NOTE\nBorrower: Maria L. Gonzalez\nAmount: $1,500.00")


def _zip(user, *functions, batch_id="B-1", pdfs=None, filed_by="CR"):
    members = {
        "claims.xml": batch_xml(
            *functions, batch_id=batch_id, user=user.email, filed_by=filed_by
        )
    }
    members.update(pdfs or {})
    return make_zip(members)


def _items(batch):
    return list(batch.items.order_by("index"))


def test_a_valid_batch_files_each_claim_and_refuses_each_bad_one_with_its_reason(demo):
    creditor = demo.users["creditor"]
    case = make_case(demo)
    number = case.display_number
    mine = services.file_claim(case=case, data=claim_data(), filer=creditor).claim
    entries_before = DocketEntry.objects.filter(case=case).count()
    data = _zip(
        creditor,
        add_function(
            number, creditor="Alpha Bank", attachments=[("note.pdf", "Promissory note")]
        ),
        add_function(
            number, creditor="Bad Sums LLC", amount="100.00", unsecured="90.00"
        ),
        add_function(
            number, creditor="Broken Pdf Inc", attachments=[("broken.pdf", "Note")]
        ),
        add_function("26-99999", creditor="Nowhere Co"),
        add_function(
            number,
            creditor="Alpha Bank Amended",
            amount="2000.00",
            kind="amend",
            claim_number=mine.number,
        ),
        transfer_function(number, mine.number, "transfer.pdf"),
        pdfs={
            "note.pdf": NOTE,
            "broken.pdf": b"this is not a pdf",
            "transfer.pdf": NOTE,
        },
    )
    batch, new = receive_batch(user=creditor, data=data)
    assert new and batch.total == 6 and batch.status == ClaimBatch.Status.QUEUED
    batch = process_batch(batch.pk)
    items = _items(batch)
    assert [i.status for i in items] == [
        "filed",
        "refused",
        "refused",
        "refused",
        "filed",
        "filed",
    ]
    assert (batch.status, batch.processed, batch.filed, batch.refused) == (
        "done",
        6,
        3,
        3,
    )
    filed = Claim.objects.get(case=case, creditor_name="Alpha Bank")
    assert items[0].claim_id == filed.pk and items[0].claim_label == filed.label
    entry = filed.versions.get().entry
    assert entry is not None
    assert entry.documents.count() == 2  # Form 410 + the note
    assert "The parts do not add up" in items[1].reason
    assert "broken.pdf" in items[2].reason
    assert "No case 26-99999" in items[3].reason
    mine.refresh_from_db()
    assert mine.label.endswith("-2")
    # FRBP 3001(e)(2): the transfer is docketed and waits for its objection period; the
    # register keeps the holder until then (or a court order).
    pending = mine.transfers.get(status="pending")
    assert pending.transferee_name == "Recovery Partners LLC"
    assert mine.holder_name != "Recovery Partners LLC"
    # Nothing half-filed: refused claims took no number and left no docket entry.
    assert not Claim.objects.filter(
        creditor_name__in=["Bad Sums LLC", "Broken Pdf Inc"]
    ).exists()
    assert sorted(Claim.objects.filter(case=case).values_list("number", flat=True)) == [
        1,
        2,
    ]
    # One unnumbered claim entry for the new claim, one for the amendment, one transfer.
    assert DocketEntry.objects.filter(case=case).count() == entries_before + 3


def test_a_repeated_batch_id_is_filed_once(demo):
    creditor = demo.users["creditor"]
    case = make_case(demo)
    data = _zip(creditor, add_function(case.display_number, creditor="Once Only LLC"))
    first, new = receive_batch(user=creditor, data=data)
    process_batch(first.pk)
    again, new_again = receive_batch(user=creditor, data=data)
    assert new and not new_again and again.pk == first.pk
    process_batch(again.pk)  # a second task run files nothing either
    assert Claim.objects.filter(creditor_name="Once Only LLC").count() == 1
    assert ClaimBatch.objects.filter(filer=creditor).count() == 1


def test_a_rerun_after_a_crash_files_each_claim_once(demo):
    creditor = demo.users["creditor"]
    case = make_case(demo)
    batch, _ = receive_batch(
        user=creditor,
        data=_zip(creditor, add_function(case.display_number, creditor="Crash Co")),
    )
    process_batch(batch.pk)
    # The worker died after filing, before writing the log: the row is pending again.
    ClaimBatchItem.objects.filter(batch=batch).update(status="pending")
    ClaimBatch.objects.filter(pk=batch.pk).update(status="running")
    process_batch(batch.pk)
    assert Claim.objects.filter(creditor_name="Crash Co").count() == 1


def test_a_batch_for_someone_else_or_the_wrong_role_code_is_refused(demo):
    creditor = demo.users["creditor"]
    case = make_case(demo)
    fn = add_function(case.display_number)
    other = make_zip(
        {"claims.xml": batch_xml(fn, batch_id="B", user="someone@else.test")}
    )
    with pytest.raises(UserFacingError, match="UserName"):
        receive_batch(user=creditor, data=other)
    with pytest.raises(UserFacingError, match="ClaimsFiledBy"):
        receive_batch(user=creditor, data=_zip(creditor, fn, filed_by="AT"))
    with pytest.raises(UserFacingError, match="DTD"):
        receive_batch(
            user=creditor,
            data=make_zip(
                {
                    "c.xml": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ClaimsUpload/>'
                }
            ),
        )
    assert not ClaimBatch.objects.exists()


@pytest.mark.parametrize(
    ("district", "message"),
    [
        ("0973", "This batch is for district '0973'"),
        ("nysb", "This batch is for district 'nysb'"),
        ("", "<DistrictCode> is missing"),
    ],
)
def test_a_batch_for_another_district_is_refused_and_changes_nothing(
    demo, client, district, message
):
    """A batch naming another court (or none) is refused in plain words; nothing is kept."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.html import escape

    creditor = demo.users["creditor"]
    case = make_case(demo)
    xml = batch_xml(
        add_function(case.display_number, creditor="Elsewhere LLC"),
        batch_id="D-1",
        user=creditor.email,
        district=district,
    )
    with pytest.raises(UserFacingError, match=message):
        receive_batch(user=creditor, data=make_zip({"claims.xml": xml}))
    client.force_login(creditor)
    page = client.post(
        "/claims/upload/",
        {
            "upload": SimpleUploadedFile(
                "d.zip", make_zip({"claims.xml": xml}), "application/zip"
            )
        },
    )
    assert page.status_code == 200
    assert escape(message) in page.content.decode()
    assert not ClaimBatch.objects.exists()
    assert not Claim.objects.filter(creditor_name="Elsewhere LLC").exists()


def test_a_batch_naming_this_court_by_its_id_is_accepted(demo):
    creditor = demo.users["creditor"]
    case = make_case(demo)
    xml = batch_xml(
        add_function(case.display_number, creditor="Here LLC"),
        batch_id="D-2",
        user=creditor.email,
        district="CASB",
    )
    batch, new = receive_batch(user=creditor, data=make_zip({"claims.xml": xml}))
    assert new and process_batch(batch.pk).filed == 1


def test_a_mortgage_claim_whose_410a_does_not_add_up_is_refused_with_the_difference(
    demo,
):
    creditor = demo.users["creditor"]
    case = make_case(demo, chapter="13")
    mortgage = (
        "<PrincipalResidence>Y</PrincipalResidence><AmountToCure>7400.00</AmountToCure>"
        "<Mortgage410A><PrincipalBalance>245000.00</PrincipalBalance><InterestDue>4000.00</InterestDue>"
        "<FeesCostsDue>1500.00</FeesCostsDue><EscrowDeficiency>1000.00</EscrowDeficiency>"
        "<TotalDebt>251400.00</TotalDebt><ArrearsPrincipalInterest>6000.00</ArrearsPrincipalInterest>"
        "<ArrearsFees>400.00</ArrearsFees><ArrearsEscrowDeficiency>1000.00</ArrearsEscrowDeficiency>"
        "<TotalArrearage>7400.00</TotalArrearage><MonthlyPrincipalInterest>1500.00</MonthlyPrincipalInterest>"
        "<MonthlyEscrow>400.00</MonthlyEscrow><TotalMonthlyPayment>1900.00</TotalMonthlyPayment></Mortgage410A>"
    )
    data = _zip(
        creditor,
        add_function(
            case.display_number,
            creditor="Harbor Mortgage",
            amount="251500.00",
            secured="251500.00",
            unsecured="0",
            extra=mortgage,
        ),
    )
    batch, _ = receive_batch(user=creditor, data=data)
    item = _items(process_batch(batch.pk))[0]
    assert item.status == "refused"
    assert "total debt does not add up" in item.reason
    assert "a difference of -$100" in item.reason
    assert not Claim.objects.filter(creditor_name="Harbor Mortgage").exists()


def test_the_log_is_the_filers_own(demo, client):
    creditor = demo.users["creditor"]
    case = make_case(demo)
    batch, _ = receive_batch(
        user=creditor,
        data=_zip(creditor, add_function(case.display_number, creditor="Log Co")),
    )
    process_batch(batch.pk)
    client.force_login(creditor)
    page = client.get(f"/claims/upload/{batch.pk}/")
    assert page.status_code == 200
    assert (
        "1 of 1 claim function processed; 1 filed, 0 refused" in page.content.decode()
    )
    listing = client.get("/claims/upload/").content.decode()
    assert "B-1" in listing
    client.force_login(demo.users["attorney"])
    assert client.get(f"/claims/upload/{batch.pk}/").status_code == 404


def test_the_upload_page_refuses_a_bad_zip_with_its_reason(demo, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(demo.users["creditor"])
    bomb = make_zip({"claims.xml": "<x/>", "a.pdf": b"%PDF-" + b"\0" * 5_000_000})
    page = client.post(
        "/claims/upload/",
        {"upload": SimpleUploadedFile("b.zip", bomb, "application/zip")},
    )
    assert page.status_code == 200
    assert "compressed more than 100 to 1" in page.content.decode()
    assert not ClaimBatch.objects.exists()


def test_a_transfer_in_a_batch_owes_the_transfer_fee_like_one_filed_on_its_page(
    demo, client
):
    """One fee rule for every path: a transfer filed in a claims upload and one filed on
    the claim's transfer page each owe the catalogue's fee as a payment due; a
    fee-exempt filer owes nothing on either."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dockets.models import Event, Payment

    creditor = demo.users["creditor"]
    fee = Event.objects.get(code="trclm").fee_cents
    assert fee > 0
    case = make_case(demo)
    first = services.file_claim(case=case, data=claim_data(), filer=creditor).claim
    second = services.file_claim(case=case, data=claim_data(), filer=creditor).claim
    batch, _ = receive_batch(
        user=creditor,
        data=_zip(
            creditor,
            transfer_function(case.display_number, first.number, "t.pdf"),
            pdfs={"t.pdf": NOTE},
        ),
    )
    item = _items(process_batch(batch.pk))[0]
    assert item.status == "filed", item.reason
    assert item.entry.fee_cents == fee and item.entry.fee_status == "due"
    batch_payment = Payment.objects.get(entry=item.entry)
    assert (batch_payment.payer, batch_payment.amount_cents) == (creditor, fee)

    client.force_login(creditor)
    page = client.post(
        f"/claims/{second.pk}/transfer/",
        {
            "transferee_name": "Recovery Partners LLC",
            "transferee_address": "PO Box 77\nAustin, TX 78701",
            "document": SimpleUploadedFile("t.pdf", NOTE, "application/pdf"),
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    page_entry = second.transfers.get().entry
    page_payment = Payment.objects.get(entry=page_entry)
    assert (page_payment.payer, page_payment.amount_cents) == (creditor, fee)

    # A government (fee-exempt) filer: the same rule says no fee is due on either path.
    profile = creditor.filer_or_none
    profile.fee_exempt = True
    profile.save(update_fields=["fee_exempt"])
    third = services.file_claim(case=case, data=claim_data(), filer=creditor).claim
    batch, _ = receive_batch(
        user=creditor,
        data=_zip(
            creditor,
            transfer_function(case.display_number, third.number, "t.pdf"),
            batch_id="B-exempt",
            pdfs={"t.pdf": NOTE},
        ),
    )
    exempt = _items(process_batch(batch.pk))[0].entry
    assert exempt.fee_status == "exempt" and "Fee Not Due" in exempt.text
    assert not Payment.objects.filter(entry=exempt).exists()


def test_the_published_worked_example_is_read_as_documented():
    """docs/claims-upload.md's worked example (what an outside developer copies) is
    accepted: three functions, the Form 410A adding up, nothing refused."""
    import re

    from django.conf import settings

    from dockets.claims.batch import district_problem
    from dockets.claims.batch_format import read_batch
    from dockets.claims.services import ClaimData

    doc = (settings.BASE_DIR / "docs" / "claims-upload.md").read_text()
    example = doc.split("## Worked example", 1)[1]
    xml = testkit.search(r"```xml\n(.*?)```", example, re.S).group(1)
    batch = read_batch(
        make_zip(
            {
                "claims.xml": xml,
                "b410-1001.pdf": NOTE,
                "note-1001.pdf": NOTE,
                "b410-1002.pdf": NOTE,
                "b2100a-7.pdf": NOTE,
            }
        )
    )
    assert (batch.batch_id, batch.user_name, batch.filed_by) == (
        "COASTAL-2026-12-04-001",
        "filer@coastal.test",
        "CR",
    )
    assert district_problem(batch.district) is None
    assert [f.kind for f in batch.functions] == ["add", "add", "transfer"]
    assert [f.problem for f in batch.functions] == ["", "", ""]
    assert [f.claim_form for f in batch.functions] == [
        "b410-1001.pdf",
        "b410-1002.pdf",
        "b2100a-7.pdf",
    ]
    assert (batch.functions[0].office, batch.functions[0].case_type) == ("3", "bk")
    for function in batch.functions[:2]:
        ClaimData(**function.values).check()  # amounts and Form 410A add up
    assert batch.functions[1].values["mortgage"]


def test_a_claim_whose_transaction_aborts_after_its_pdfs_were_stored_leaves_no_file(
    demo, settings
):
    """The claim and its log row commit together; when that transaction fails after
    the claim form and attachment were stored (here at the log row's update), no
    claim, entry or file is left (dockets.services.documents_stored)."""
    from pathlib import Path

    from django.core.files.storage import default_storage
    from lockwatch import watching

    from dockets.models import Document

    creditor = demo.users["creditor"]
    case = make_case(demo)
    batch, _ = receive_batch(
        user=creditor,
        data=_zip(
            creditor,
            add_function(
                case.display_number,
                creditor="Abort Co",
                claim_form="b410.pdf",
                attachments=[("note.pdf", "Promissory note")],
            ),
            pdfs={"b410.pdf": NOTE, "note.pdf": NOTE},
        ),
    )
    with watching(settings) as watch:
        root = Path(default_storage.path(""))
        before = set(root.rglob("*.pdf"))
        documents = Document.objects.count()
        watch.abort_on = 'UPDATE "dockets_claimbatchitem"'
        with pytest.raises(RuntimeError, match="after the files were stored"):
            process_batch(batch.pk)
        assert len(watch.saves) == 2, "both PDFs were stored before the failure"
        assert set(root.rglob("*.pdf")) == before
    assert not Claim.objects.filter(creditor_name="Abort Co").exists()
    assert Document.objects.count() == documents


def test_a_new_creditor_is_added_to_the_case_and_its_creditor_id_shown(demo, client):
    """The AO's "File a claim and add a new Creditor": a claim whose creditor is not on
    the case adds it to the case's creditors (once, however many of its claims the
    batch holds); the Creditor ID is then on the log, the API and the register, and a
    later batch names the creditor by it."""
    from cases.models import Party

    creditor = demo.users["creditor"]
    case = make_case(demo)
    number = case.display_number
    creditors_before = set(
        case.parties.filter(role=Party.Role.CREDITOR).values_list("pk", flat=True)
    )
    batch, _ = receive_batch(
        user=creditor,
        data=_zip(
            creditor,
            add_function(number, creditor="Brand New Lender LLC"),
            add_function(number, creditor="Brand New Lender LLC", amount="99.00"),
        ),
    )
    items = _items(process_batch(batch.pk))
    assert [i.status for i in items] == ["filed", "filed"]
    (added,) = case.parties.filter(role=Party.Role.CREDITOR).exclude(
        pk__in=creditors_before
    )
    assert added.name == "Brand New Lender LLC" and added.added_in_filing
    assert added.mailing_lines == [
        "Brand New Lender LLC",
        "P.O. Box 9000",
        "San Diego, CA 92169",
    ]
    assert [i.creditor_number for i in items] == [added.pk, added.pk]
    assert {c.creditor_id for c in Claim.objects.filter(case=case)} == {added.pk}

    client.force_login(creditor)
    log = client.get(f"/claims/upload/{batch.pk}/").content.decode()
    assert "Creditor ID" in log and f"<td>{added.pk}</td>" in log
    register = client.get(f"/cases/{case.pk}/claims/").content.decode()
    assert "Creditor ID" in register and f"<dd>{added.pk}</dd>" in register

    later, _ = receive_batch(
        user=creditor,
        data=_zip(
            creditor,
            add_function(
                number,
                creditor="Brand New Lender LLC (servicing)",
                extra=f"<CreditorID>{added.pk}</CreditorID>",
            ),
            batch_id="B-2",
        ),
    )
    (item,) = _items(process_batch(later.pk))
    assert item.status == "filed" and item.creditor_number == added.pk
    assert case.parties.filter(role=Party.Role.CREDITOR).count() == (
        len(creditors_before) + 1
    )


def test_a_claim_on_the_claim_page_finds_or_adds_its_creditor_the_same_way(demo):
    from cases.models import Party

    creditor = demo.users["creditor"]
    case = make_case(demo)
    first = services.file_claim(case=case, data=claim_data(), filer=creditor).claim
    again = services.file_claim(case=case, data=claim_data(), filer=creditor).claim
    assert first.creditor is not None and first.creditor.case_id == case.pk
    assert first.creditor.role == Party.Role.CREDITOR
    assert again.creditor_id == first.creditor_id
    with pytest.raises(UserFacingError, match="is not a creditor in case"):
        services.file_claim(
            case=case,
            data=claim_data(creditor_id=case.parties.exclude(role="creditor")[0].pk),
            filer=creditor,
        )
