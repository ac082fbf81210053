"""Form 410 on its fixed layout (the form laid out once per process, each claim's
answers written into its boxes): the same form as the full render, and the full render
whenever a claim's answers do not fit it."""

import datetime as dt
import io
from typing import Any, cast

import pytest
from claimkit import (
    case_fixture,  # noqa: F401 (the `case` fixture)
    claim_data,
)
from defusedxml import ElementTree
from pdfmaker import pdf_dict
from pypdf import PdfReader
from pypdf.generic import StreamObject

from dockets.claims.form410 import (
    Form410Data,
    form410_title,
    render_form410,
    render_form410_full,
)
from dockets.claims.form410_fixed import render_fixed


def _data(**overrides) -> Form410Data:
    values: dict[str, Any] = {
        "court_name": "Southern District of California",
        "case_number": "3:26-bk-00001",
        "debtor": "Maria L. Gonzalez",
        "creditor_name": "Coastal Federal Credit Union",
        "creditor_address": "Attn: Bankruptcy Dept\nP.O. Box 9000\nSan Diego, CA 92169",
        "creditor_phone": "619-555-0100",
        "creditor_email": "claims@coastal.test",
        "account_last4": "1234",
        "amount_cents": 3_261_140,
        "secured_cents": 1_000_000,
        "unsecured_cents": 2_261_140,
        "basis": "Money loaned",
        "signer_name": "Pat Creditor",
        "signer_title": "Collections Manager",
        "signed_on": dt.date(2026, 12, 4),
    }
    values.update(overrides)
    return Form410Data(**values)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _title_in_xmp(reader: PdfReader) -> str:
    xmp = cast(StreamObject, reader.root_object["/Metadata"].get_object()).get_data()
    root = ElementTree.fromstring(xmp.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])
    items = root.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li")
    return next(item.text for item in items if item.text)


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"epoc": True, "attachments": ["Itemized statement.pdf", "Note.pdf"]},
        {
            "interest_fees": True,
            "payment_name": "Coastal Lockbox",
            "payment_address": "P.O. Box 77\nDallas, TX 75201",
            "priority_cents": 150_000,
            "priority_basis": "Wages 507(a)(4)",
            "arrearage_cents": 120_000,
            "debt_incurred": dt.date(2025, 3, 14),
        },
    ],
    ids=["typical", "epoc-two-pages", "every-part"],
)
def test_the_fixed_layout_draws_the_same_form_as_the_full_render(overrides):
    """A claim that fits is drawn on the fixed layout, and reads exactly as the full
    render: every answer in the same words and order, one tagged page in the form's
    own font, the same title (document info and XMP)."""
    data = _data(**overrides)
    fixed = render_fixed(data)
    assert fixed is not None, "a typical claim fits the fixed layout"
    full = render_form410_full(data)
    assert _text(fixed.pdf) == _text(full.pdf)
    assert fixed.pages == full.pages == len(PdfReader(io.BytesIO(full.pdf)).pages)
    reader = PdfReader(io.BytesIO(fixed.pdf))
    assert len(reader.pages) == fixed.pages
    root = reader.root_object
    assert "/StructTreeRoot" in root and pdf_dict(root["/MarkInfo"])["/Marked"]
    assert root["/Lang"] == "en"
    assert reader.metadata is not None
    assert reader.metadata.title == form410_title(data)
    assert _title_in_xmp(reader) == form410_title(data)
    fonts = {
        str(pdf_dict(font)["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in pdf_dict(pdf_dict(page["/Resources"])["/Font"]).values()
    }
    assert fonts and all(name.startswith("DejaVu-Sans") for name in fonts), fonts
    # What the filer is shown is what is filed: render_form410 takes this path.
    assert render_form410(data).pdf == fixed.pdf


def test_hostile_text_the_font_can_draw_is_written_as_typed_on_the_fixed_layout():
    """Markup, a formula, PDF string delimiters and XML's special characters are the
    filer's words, drawn as typed; the title keeps them in the info and the XMP."""
    name = "<b>Acme</b> & Sons =HYPERLINK(1) (\\) José Müller"
    data = _data(creditor_name=name, basis='Goods sold "as is" <script>x</script>')
    fixed = render_fixed(data)
    assert fixed is not None
    text = _text(fixed.pdf)
    assert name in text
    assert 'Goods sold "as is" <script>x</script>' in text
    reader = PdfReader(io.BytesIO(fixed.pdf))
    assert reader.metadata is not None and reader.metadata.title == form410_title(data)
    assert _title_in_xmp(reader) == form410_title(data)


def test_a_long_word_breaks_inside_its_box_and_is_kept_whole():
    email = "a" * 90 + "@example.com"
    fixed = render_fixed(_data(creditor_email=email))
    assert fixed is not None
    reader = PdfReader(io.BytesIO(fixed.pdf))
    lines = reader.pages[0].extract_text().splitlines()
    assert max(len(line) for line in lines) < 130
    assert "Contact email: " + email in "".join(lines)


@pytest.mark.parametrize(
    ("overrides", "answer"),
    [
        ({"basis": "Кредит банка"}, "Кредит банка"),
        ({"basis": "Loan\x00 signed"}, "Loan"),
        ({"basis": "Loan\tsigned"}, "Loan"),
        ({"basis": "Goods sold " * 80}, "Goods sold Goods sold"),
        (
            {"attachments": [f"Statement {n}.pdf" for n in range(1, 13)]},
            "Statement 12.pdf",
        ),
        ({"court_name": "District of " + "Columbia " * 12}, "Columbia Columbia"),
        ({"amends_claim": "3-1"}, "This claim amends claim 3-1"),
        ({"signer_name": ""}, "Not yet signed"),
    ],
    ids=[
        "cyrillic",
        "nul",
        "tab",
        "too-many-lines",
        "many-attachments",
        "court-line-wraps",
        "amendment",
        "unsigned",
    ],
)
def test_answers_the_fixed_layout_cannot_carry_are_rendered_in_full(overrides, answer):
    """Characters the embedded font lacks, control characters, answers longer than
    their box and parts the fixed layout has no place for: the claim is rendered in
    full by WeasyPrint, so the filed form is always complete."""
    data = _data(**overrides)
    assert render_fixed(data) is None
    rendered = render_form410(data)
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert rendered.pages == len(reader.pages)
    assert answer in _text(rendered.pdf)


def test_a_script_no_installed_font_draws_is_left_to_the_full_render():
    """The full render is what decides how such a name is drawn (no font on this
    machine has CJK glyphs); the fixed layout never draws it as something else."""
    assert render_fixed(_data(creditor_name="東京信用金庫")) is None


@pytest.mark.django_db
def test_a_filed_claims_form_410_is_the_fixed_layouts_and_its_text_is_searchable(
    case, users
):
    """A claim filed with typical answers is filed with the fixed layout's Form 410,
    and the court's text index reads every answer from it."""
    from dockets.claims import services
    from dockets.claims.claim_form import form410_data
    from dockets.fulltext.models import DocumentPage, DocumentText
    from dockets.fulltext.services import extract_document_text

    data = claim_data(basis="Goods sold and delivered", account_last4="5521")
    version = services.file_claim(case=case, data=data, filer=users["creditor"])
    assert version.entry is not None
    document = version.entry.documents.get(sequence=0)
    with document.original.open("rb") as fh:
        filed = fh.read()
    fixed = render_fixed(form410_data(case=case, data=data, epoc=False, amends=""))
    assert fixed is not None and filed == fixed.pdf
    assert document.page_count == fixed.pages
    row = extract_document_text(document_id=document.pk)
    assert row is not None and row.status == DocumentText.Status.DONE
    text = " ".join(
        " ".join(page.text.split())
        for page in DocumentPage.objects.filter(document=document).order_by("page")
    )
    for answer in (
        data.creditor_name,
        "$32,611.40",
        "Goods sold and delivered",
        "5521",
        case.long_number,
    ):
        assert answer in text, answer


def test_a_claim_in_ascii_embeds_the_smaller_font_subset():
    """Every Form 410 is stored for good: a claim written in ASCII alone carries a
    font subset of ASCII, within a few KB of the full render's own subset; accented
    letters bring the larger subset, and are drawn."""
    data = _data()
    fixed = render_fixed(data)
    latin = render_fixed(_data(creditor_name="Caja Rural de Navarra, S. Coop. José"))
    assert fixed is not None and latin is not None
    full = render_form410_full(data)
    assert len(fixed.pdf) <= len(full.pdf) + 4_000
    assert len(latin.pdf) > len(fixed.pdf) + 2_000
    assert "S. Coop. José" in _text(latin.pdf)
