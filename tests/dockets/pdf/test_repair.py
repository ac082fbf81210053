"""Repair offered to the filer: flatten form fields, shrink oversized pages."""

import io

import hostile_pdfs
import pdfmaker
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from dockets.pdf.repair import repair_pdf
from dockets.pdf.validation import analyze_pdf

MAX = 35 * 1024 * 1024


def assert_acceptable(path):
    analysis = analyze_pdf(path, max_bytes=MAX, debtor_names=["Jane Q. Debtor"])
    assert analysis.problems == ()
    assert analysis.has_form_fields is False
    return analysis


def first_text_position(page):
    """Device-space (x, y) where the page's first line of text is drawn."""
    positions: list[tuple[float, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip() and not positions:
            x, y = tm[4], tm[5]
            positions.append(
                (x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5])
            )

    page.extract_text(visitor_text=visit)
    return positions[0]


def edited(path, edit):
    """Rewrite `path` after `edit(writer)` changes it."""
    writer = PdfWriter(clone_from=io.BytesIO(path.read_bytes()))
    edit(writer)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_form_is_flattened_and_its_value_kept(tmp_path):
    src = hostile_pdfs.make_form_pdf(tmp_path / "form.pdf", value="Jane Q. Debtor")
    dst = tmp_path / "fixed.pdf"
    changes = repair_pdf(src, dst)
    assert changes == [
        "Flattened 1 fillable form field into ordinary page content; the "
        "filled-in values still show but can no longer be edited."
    ]
    reader = PdfReader(dst)
    assert "/AcroForm" not in reader.root_object
    assert "/Annots" not in reader.pages[0]
    assert b"/Widget" not in dst.read_bytes()
    assert "Name of debtor:\nJane Q. Debtor" in reader.pages[0].extract_text()
    assert_acceptable(dst)


def test_hidden_field_is_not_drawn(tmp_path):
    def hide(writer):
        writer.pages[0]["/Annots"][0].get_object()[NameObject("/F")] = NumberObject(2)

    src = edited(
        hostile_pdfs.make_form_pdf(tmp_path / "form.pdf", value="Secret"), hide
    )
    repair_pdf(src, tmp_path / "fixed.pdf")
    assert "Secret" not in PdfReader(tmp_path / "fixed.pdf").pages[0].extract_text()


def test_field_without_appearance_gets_its_value_drawn(tmp_path):
    """Forms saved with /NeedAppearances leave the drawing to the reader."""

    def strip_appearance(writer):
        del writer.pages[0]["/Annots"][0].get_object()["/AP"]

    src = edited(
        hostile_pdfs.make_form_pdf(tmp_path / "form.pdf", value="Roe (Jr.)"),
        strip_appearance,
    )
    dst = tmp_path / "fixed.pdf"
    repair_pdf(src, dst)
    assert "Roe (Jr.)" in PdfReader(dst).pages[0].extract_text()
    assert_acceptable(dst)


def test_flattening_keeps_resources_inherited_from_the_page_tree(tmp_path):
    """PDF 32000-1 7.7.3.4: a page may take /Resources from its /Pages parent."""

    def move_resources_up(writer):
        page = writer.pages[0]
        page["/Parent"].get_object()[NameObject("/Resources")] = page["/Resources"]
        del page["/Resources"]

    src = edited(hostile_pdfs.make_form_pdf(tmp_path / "form.pdf"), move_resources_up)
    dst = tmp_path / "fixed.pdf"
    repair_pdf(src, dst)
    text = PdfReader(dst).pages[0].extract_text()
    assert "MOTION TO EXTEND TIME" in text
    assert "Jane Q. Debtor" in text
    assert_acceptable(dst)


def test_oversized_pages_shrink_to_letter_keeping_proportions(tmp_path):
    src = pdfmaker.make_oversized_pdf(tmp_path / "plans.pdf")  # letter, 17x22, 11x17
    dst = tmp_path / "fixed.pdf"
    changes = repair_pdf(src, dst)
    assert changes == [
        "Reduced page 2 (17 \u00d7 22 in) and page 3 (11 \u00d7 17 in) to fit "
        "letter-size paper (8.5 \u00d7 11 in), keeping the proportions of the page."
    ]
    reader = PdfReader(dst)
    assert [tuple(page.mediabox) for page in reader.pages] == [(0, 0, 612, 792)] * 3
    # Page 3 (792 x 1224) scales by 792/1224 and is centred across the page;
    # its first line was drawn at (54, 1224 - 72).
    factor = 792 / 1224
    x, y = first_text_position(reader.pages[2])
    assert x == pytest.approx((612 - 792 * factor) / 2 + 54 * factor, abs=0.01)
    assert y == pytest.approx((1224 - 72) * factor, abs=0.01)
    # Page 1 was letter already and is untouched.
    assert first_text_position(reader.pages[0]) == pytest.approx((54, 720))
    assert "/s/ Alex Attorney" in reader.pages[1].extract_text()
    assert assert_acceptable(dst).page_count == 3


def test_landscape_page_shrinks_to_landscape_letter(tmp_path):
    src = pdfmaker.make_pdf(tmp_path / "wide.pdf", pagesize=(1584, 1224))  # 22 x 17
    dst = tmp_path / "fixed.pdf"
    repair_pdf(src, dst)
    assert tuple(PdfReader(dst).pages[0].mediabox) == (0, 0, 792, 612)
    assert_acceptable(dst)


def test_rotated_page_keeps_its_rotation(tmp_path):
    """A 17 x 22 page shown turned 90 degrees becomes letter shown the same way."""

    def rotate(writer):
        writer.pages[0].rotate(90)

    src = edited(
        pdfmaker.make_pdf(tmp_path / "turned.pdf", pagesize=(1224, 1584)), rotate
    )
    dst = tmp_path / "fixed.pdf"
    repair_pdf(src, dst)
    page = PdfReader(dst).pages[0]
    assert (tuple(page.mediabox), page.rotation) == ((0, 0, 612, 792), 90)


def test_links_move_with_the_shrunken_content(tmp_path):
    def add_link(writer):
        link = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject(
                    FloatObject(v) for v in (0, 0, 100, 100)
                ),
                NameObject("/A"): DictionaryObject(
                    {
                        NameObject("/S"): NameObject("/URI"),
                        NameObject("/URI"): TextStringObject("https://example.com/"),
                    }
                ),
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])

    src = edited(
        pdfmaker.make_pdf(tmp_path / "link.pdf", pagesize=(1224, 1584)), add_link
    )
    dst = tmp_path / "fixed.pdf"
    repair_pdf(src, dst)
    annotation = pdfmaker.pdf_dict(
        pdfmaker.pdf_array(PdfReader(dst).pages[0]["/Annots"])[0]
    )
    rect = pdfmaker.pdf_array(annotation["/Rect"])
    assert [float(v) for v in rect] == pytest.approx([0, 0, 50, 50])  # 17x22 -> 8.5x11


def test_form_and_oversized_page_are_both_repaired(tmp_path):
    src = hostile_pdfs.make_form_pdf(tmp_path / "form.pdf")
    src = edited(src, lambda writer: writer.pages[0].scale_by(2))  # 17 x 22 in
    dst = tmp_path / "fixed.pdf"
    changes = repair_pdf(src, dst)
    assert [change.split()[0] for change in changes] == ["Flattened", "Reduced"]
    assert "Jane Q. Debtor" in PdfReader(dst).pages[0].extract_text()
    assert_acceptable(dst)


def test_nothing_to_repair_writes_nothing(tmp_path):
    dst = tmp_path / "fixed.pdf"
    assert repair_pdf(pdfmaker.make_pdf(tmp_path / "fine.pdf"), dst) == []
    assert not dst.exists()


def test_source_is_never_changed(tmp_path):
    src = pdfmaker.make_oversized_pdf(tmp_path / "plans.pdf")
    before = (src.read_bytes(), src.stat().st_mtime_ns)
    repair_pdf(src, tmp_path / "fixed.pdf")
    assert (src.read_bytes(), src.stat().st_mtime_ns) == before


def test_repairing_onto_the_source_is_refused(tmp_path):
    src = pdfmaker.make_oversized_pdf(tmp_path / "plans.pdf")
    before = src.read_bytes()
    with pytest.raises(ValueError, match="never overwrites"):
        repair_pdf(src, src)
    assert src.read_bytes() == before
