"""Claims-upload ZIPs built from the published format (docs/claims-upload.md), valid and
with each kind of error, sent through the Claims Upload page: valid claims are filed with
the filer's own claim form as their main document, each invalid one is refused with its
reason, nothing is half-filed, and a batch id is filed once."""

import hashlib

import pytest
from batchkit import add_function, batch_xml, claim_form_pdf, make_zip
from claimkit import make_case
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from pdfmaker import pdf_bytes

from cases.models import Case, Party
from dockets.claims import services
from dockets.claims.batch import process_batch, receive_batch
from dockets.claims.batch_models import ClaimBatch
from dockets.models import Claim, DocketEntry, Document

pytestmark = pytest.mark.django_db

FORM = claim_form_pdf()
NOTE = pdf_bytes(text="PROMISSORY NOTE\nAmount: $1,500.00")


def _upload(client, data, name="batch.zip"):
    return client.post(
        "/claims/upload/",
        {"upload": SimpleUploadedFile(name, data, "application/zip")},
    )


def _sha512(data: bytes) -> str:
    return hashlib.sha512(data).hexdigest()


def test_each_claim_function_error_is_refused_with_its_reason_and_the_rest_filed(
    demo, client
):
    creditor = demo.users["creditor"]
    case = make_case(demo)
    number = case.display_number
    closed = make_case(demo, title="Closed Debtor")
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED)
    other_claim = services.file_claim(
        case=case,
        data=services.ClaimData(
            creditor_name="Someone Else Bank",
            creditor_address="1 Elm St",
            basis="Money loaned",
            amount_cents=1000,
            unsecured_cents=1000,
        ),
        filer=demo.users["attorney"],
    ).claim
    matrix = Party.objects.create(
        case=case,
        role=Party.Role.CREDITOR,
        name="Matrix Savings Bank",
        address_lines=["500 Harbor Dr"],
        city="San Diego",
        state="CA",
        zip_code="92101",
    )
    functions = {
        "filed, own claim form": add_function(
            number,
            creditor="Form Bank",
            claim_form="form-bank.pdf",
            attachments=[("note.pdf", "Promissory note")],
        ),
        "filed, creditor by CreditorID": add_function(
            number,
            creditor="",
            claim_form="form-matrix.pdf",
            extra=f"<CreditorID>{matrix.pk}</CreditorID><Office>3</Office>"
            "<CaseType>bk</CaseType>",
        ).replace(
            "<Creditor><Name></Name>", "<Creditor><Name>Matrix Savings Bank</Name>"
        ),
        "unknown function": add_function(number, kind="delete"),
        "unknown tag": add_function(number, extra="<SecuredAmt>5.00</SecuredAmt>"),
        "tags are case sensitive": add_function(number).replace(
            "CaseNumber", "caseNumber"
        ),
        "not a case number": add_function("twenty-six"),
        "no such case": add_function("26-99999"),
        "wrong office": add_function(number, extra="<Office>1</Office>"),
        "wrong case type": add_function(number, extra="<CaseType>ap</CaseType>"),
        "creditor id not on the case": add_function(
            number, extra="<CreditorID>999999999</CreditorID>"
        ),
        "parts do not add up": add_function(number, amount="100.00", unsecured="90.00"),
        "amount not in dollars and cents": add_function(number, amount="12.345"),
        "claim form is not a PDF": add_function(number, claim_form="bad-form.pdf"),
        "claim form missing from the ZIP": add_function(
            number, claim_form="missing.pdf"
        ),
        "case closed": add_function(closed.display_number, claim_form="form-c.pdf"),
        "amend a claim filed by someone else": add_function(
            number, kind="amend", claim_number=other_claim.number
        ),
        "amend without a claim number": add_function(number, kind="amend"),
        "transfer without its form": (
            f'<ClaimFunction Type="transfer"><CaseNumber>{number}</CaseNumber>'
            f"<ClaimNumber>{other_claim.number}</ClaimNumber>"
            "<TransfereeName>Recovery LLC</TransfereeName>"
            "<TransfereeAddressLine>PO Box 1</TransfereeAddressLine></ClaimFunction>"
        ),
    }
    reasons = {
        "unknown function": 'Type="delete" is not a claim function',
        "unknown tag": "<SecuredAmt> is not a tag of a add claim function",
        "tags are case sensitive": "<caseNumber> is not a tag",
        "not a case number": "'twenty-six' is not a case number",
        "no such case": "No case 26-99999 was found",
        "wrong office": f"Case {number} is in office 3",
        "wrong case type": "<CaseType> is 'ap'",
        "creditor id not on the case": "<CreditorID> 999999999 is not a creditor",
        "parts do not add up": "The parts do not add up",
        "amount not in dollars and cents": "dollars and cents",
        "claim form is not a PDF": "bad-form.pdf",
        "claim form missing from the ZIP": "'missing.pdf' that this claim function "
        "names is not in the ZIP",
        "case closed": "Claims cannot be filed in it",
        "amend a claim filed by someone else": "only its filer may amend it",
        "amend without a claim number": "<ClaimNumber> must be the number",
        "transfer without its form": "Attach the evidence of transfer",
    }
    bank_form = claim_form_pdf(creditor="Form Bank")
    members: dict[str, bytes | str] = {
        "claims.xml": batch_xml(
            *functions.values(), batch_id="SPEC-1", user=creditor.email
        ),
        "form-bank.pdf": bank_form,
        "form-matrix.pdf": claim_form_pdf(creditor="Matrix Savings Bank"),
        "form-c.pdf": FORM,
        "note.pdf": NOTE,
        "bad-form.pdf": b"%PDF-1.4 this is not really a PDF",
    }
    claims_before = Claim.objects.count()
    entries_before = DocketEntry.objects.count()
    documents_before = Document.objects.count()
    client.force_login(creditor)
    page = _upload(client, make_zip(members))
    assert page.status_code == 302, page.content.decode()[:3000]
    batch = process_batch(ClaimBatch.objects.get(filer=creditor).pk)
    items = dict(zip(functions, batch.items.order_by("index"), strict=True))
    for label, reason in reasons.items():
        assert items[label].status == "refused", label
        assert reason in items[label].reason, (label, items[label].reason)
    assert (batch.filed, batch.refused) == (2, len(reasons))

    # The filer's own claim form is the claim's main document, byte for byte (no
    # Form 410 rendered in its place); the supporting document follows it.
    bank = items["filed, own claim form"]
    assert bank.status == "filed", bank.reason
    assert bank.entry is not None and bank.claim is not None
    documents = list(bank.entry.documents.order_by("id"))
    assert [d.sha512 for d in documents] == [
        _sha512(bank_form),
        _sha512(NOTE),
    ]
    assert documents[0].description == "Main Document"
    matrix_item = items["filed, creditor by CreditorID"]
    assert matrix_item.status == "filed", matrix_item.reason
    assert matrix_item.claim is not None
    assert matrix_item.claim.creditor_name == "Matrix Savings Bank"

    # Nothing half-filed: exactly the two filed claims took numbers, entries and files.
    assert Claim.objects.count() == claims_before + 2
    assert DocketEntry.objects.count() == entries_before + 2
    assert Document.objects.count() == documents_before + 3

    # The log shows each claim's result and reason on the batch page.
    log = client.get(f"/claims/upload/{batch.pk}/").content.decode()
    assert escape(reasons["wrong office"]) in log
    assert bank.claim.label in log


def test_a_claim_form_pdf_paired_by_name_with_its_xml_file_is_docketed(demo):
    """One claim transaction per XML file, its claim form the PDF of the same name
    ("the PDF claim form attached to the XML data file")."""
    creditor = demo.users["creditor"]
    case = make_case(demo)
    pdfs = {
        "claim-0001.pdf": claim_form_pdf(creditor="Paired One"),
        "claim-0002.pdf": claim_form_pdf(creditor="Paired Two"),
    }
    members: dict[str, bytes | str] = {
        **pdfs,
        "claim-0001.xml": batch_xml(
            add_function(case.display_number, creditor="Paired One"),
            batch_id="PAIR-1",
            user=creditor.email,
        ),
        "claim-0002.xml": batch_xml(
            add_function(case.display_number, creditor="Paired Two"),
            batch_id="PAIR-1",
            user=creditor.email,
        ),
    }
    batch, _ = receive_batch(user=creditor, data=make_zip(members))
    batch = process_batch(batch.pk)
    assert batch.filed == 2
    for item, name in zip(
        batch.items.order_by("index"), ["claim-0001.pdf", "claim-0002.pdf"], strict=True
    ):
        assert item.entry is not None
        main = item.entry.documents.order_by("id").first()
        assert main is not None and main.sha512 == _sha512(pdfs[name])


def test_a_batch_id_is_filed_once_and_never_reused_for_other_claims(demo, client):
    creditor = demo.users["creditor"]
    case = make_case(demo)

    def zip_for(*creditors):
        return make_zip(
            {
                "claims.xml": batch_xml(
                    *[
                        add_function(
                            case.display_number, creditor=c, claim_form="f.pdf"
                        )
                        for c in creditors[:1]
                    ],
                    batch_id="ONCE-1",
                    user=creditor.email,
                ),
                "f.pdf": FORM,
            }
        )

    client.force_login(creditor)
    first = _upload(client, zip_for("Once Bank"))
    assert first.status_code == 302
    batch = ClaimBatch.objects.get(filer=creditor)
    process_batch(batch.pk)
    # Re-zipped (new timestamps, other bytes) but the same contents: the same batch.
    again = _upload(client, zip_for("Once Bank"))
    assert again.status_code == 302 and again.url.endswith(f"/{batch.pk}/")
    assert "was already received" in client.get(again.url).content.decode()
    process_batch(batch.pk)
    assert Claim.objects.filter(creditor_name="Once Bank").count() == 1
    # The same id for other claims is refused with its reason, not dropped silently.
    other = _upload(client, zip_for("Different Bank"))
    assert other.status_code == 200
    assert "Batch id ONCE-1 was already used" in other.content.decode()
    assert ClaimBatch.objects.filter(filer=creditor).count() == 1
    assert not Claim.objects.filter(creditor_name="Different Bank").exists()


def test_the_zip_file_name_is_the_batch_id_when_the_xml_gives_none(demo):
    creditor = demo.users["creditor"]
    case = make_case(demo)
    xml = batch_xml(
        add_function(case.display_number, creditor="Named Zip Co"),
        batch_id="",
        user=creditor.email,
    ).replace(' BatchId=""', "")
    data = make_zip({"claims.xml": xml})
    batch, new = receive_batch(
        user=creditor, data=data, file_name="0974_20261204_01.zip"
    )
    assert new and batch.batch_id == "0974_20261204_01"
    assert receive_batch(
        user=creditor, data=data, file_name="0974_20261204_01.zip"
    ) == (
        batch,
        False,
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            ("<DistrictCode>0974</DistrictCode>", "<DistrictCode>1111</DistrictCode>"),
            "District code 1111 is for testing",
        ),
        (
            ("<DistrictCode>0974</DistrictCode>", "<DistrictCode>0416</DistrictCode>"),
            "This batch is for district '0416'",
        ),
        (
            ("<ClaimsFiledBy>CR</ClaimsFiledBy>", "<ClaimsFiledBy>XX</ClaimsFiledBy>"),
            "<ClaimsFiledBy> must be CR",
        ),
        (
            ("<ClaimsFiledBy>CR</ClaimsFiledBy>", "<ClaimsFiledBy>AT</ClaimsFiledBy>"),
            "<ClaimsFiledBy> must be CR for your account",
        ),
        (("<UserName>", "<UserName>x"), "<UserName> is 'x"),
        (("<ClaimsFiledBy>CR</ClaimsFiledBy>", ""), "<ClaimsFiledBy> must be CR"),
    ],
)
def test_each_whole_batch_header_error_is_refused_and_nothing_kept(
    demo, client, change, reason
):
    creditor = demo.users["creditor"]
    case = make_case(demo)
    xml = batch_xml(
        add_function(case.display_number, creditor="Header Co"),
        batch_id="H-1",
        user=creditor.email,
    ).replace(*change)
    client.force_login(creditor)
    page = _upload(client, make_zip({"claims.xml": xml}))
    assert page.status_code == 200
    assert escape(reason) in page.content.decode()
    assert not ClaimBatch.objects.exists()


def test_the_other_published_spellings_of_the_header_tags_are_read(demo):
    """<ClaimFiledBy> (as one court's page spells it) and <CourtID> (the appendix's
    name for the district code) mean <ClaimsFiledBy> and <DistrictCode>."""
    creditor = demo.users["creditor"]
    case = make_case(demo)
    xml = (
        batch_xml(
            add_function(case.display_number, creditor="Alias Co"),
            batch_id="ALIAS-1",
            user=creditor.email,
        )
        .replace("ClaimsFiledBy", "ClaimFiledBy")
        .replace("DistrictCode", "CourtID")
    )
    batch, _ = receive_batch(user=creditor, data=make_zip({"claims.xml": xml}))
    assert process_batch(batch.pk).filed == 1


def test_the_test_district_is_accepted_on_the_training_instance(demo, settings):
    from dockets.claims.batch import district_problem

    settings.ECF_IS_TRAINING = True
    assert district_problem("1111") is None
    settings.ECF_IS_TRAINING = False
    assert "for testing" in (district_problem("1111") or "")


def test_an_amendment_and_a_transfer_each_docket_the_filers_own_form(demo):
    """Amend (Form 410 marked amended) and transfer (Form 2100A) send their forms as
    <ClaimForm>; each is the main document of its docket entry. An XML namespace on
    the root element is read as if absent."""
    creditor = demo.users["creditor"]
    case = make_case(demo)
    mine = services.file_claim(
        case=case,
        data=services.ClaimData(
            creditor_name="Amend Bank",
            creditor_address="1 Elm St",
            basis="Money loaned",
            amount_cents=1000,
            unsecured_cents=1000,
        ),
        filer=creditor,
    ).claim
    amended = claim_form_pdf(creditor="Amend Bank", amount="2000.00")
    transfer = pdf_bytes(text="Form 2100A Transfer of Claim\n/s/ Pat Buyer")
    xml = batch_xml(
        add_function(
            case.display_number,
            creditor="Amend Bank",
            amount="2000.00",
            kind="amend",
            claim_number=mine.number,
            claim_form="amended.pdf",
        ),
        f'<ClaimFunction Type="transfer"><CaseNumber>{case.display_number}</CaseNumber>'
        f"<ClaimNumber>{mine.number}</ClaimNumber>"
        "<TransfereeName>Recovery Partners LLC</TransfereeName>"
        "<TransfereeAddressLine>PO Box 77, Austin, TX 78701</TransfereeAddressLine>"
        '<ClaimForm File="b2100a.pdf"/></ClaimFunction>',
        batch_id="FORMS-1",
        user=creditor.email,
    ).replace("<ClaimsUpload ", '<ClaimsUpload xmlns="urn:example:claims" ')
    batch, _ = receive_batch(
        user=creditor,
        data=make_zip(
            {"claims.xml": xml, "amended.pdf": amended, "b2100a.pdf": transfer}
        ),
    )
    batch = process_batch(batch.pk)
    items = list(batch.items.order_by("index"))
    assert [i.status for i in items] == ["filed", "filed"], [i.reason for i in items]
    for item, sent in zip(items, [amended, transfer], strict=True):
        assert item.entry is not None
        main = item.entry.documents.order_by("id").first()
        assert main is not None and main.sha512 == _sha512(sent)
    mine.refresh_from_db()
    assert mine.label.endswith("-2") and mine.amount_cents == 200_000


def test_header_tags_inside_a_claim_function_must_agree_with_the_batch(demo):
    """One transaction per XML file may repeat the header in each claim function."""
    creditor = demo.users["creditor"]
    case = make_case(demo)
    own = f"<UserName>{creditor.email}</UserName><DistrictCode>0974</DistrictCode>"
    xml = batch_xml(
        add_function(case.display_number, creditor="Agrees Co", extra=own),
        add_function(
            case.display_number,
            creditor="Disagrees Co",
            extra="<DistrictCode>0416</DistrictCode>",
        ),
        batch_id="OWN-1",
        user=creditor.email,
    )
    batch, _ = receive_batch(user=creditor, data=make_zip({"claims.xml": xml}))
    items = list(process_batch(batch.pk).items.order_by("index"))
    assert [i.status for i in items] == ["filed", "refused"], items[0].reason
    assert "<DistrictCode> is '0416', but the batch's is '0974'" in items[1].reason
