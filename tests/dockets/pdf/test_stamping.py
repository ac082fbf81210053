"""Tests for dockets.pdf.stamping: the CM/ECF header line on every page."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from pdfmaker import pdf_array, pdf_dict, pdf_stream
from pypdf import PdfReader
from pypdf.generic import IndirectObject
from stampfixtures import (
    COURIER,
    HELVETICA,
    body_text,
    pages_pdf,
    stream,
    text_pdf,
    write_pdf,
)
from testkit import require_command

from dockets.pdf.stamping import HEADER_FONT_SIZE, HEADER_TOP_OFFSET, stamp_pdf


def cmecf_header(page: int, pages: int) -> str:
    return (
        "Case 24-01234-LT7  Doc 17  Filed 11/26/26  Entered 11/26/26 14:03:12  "
        f"Desc Main Document  Page {page} of {pages}"
    )


def text_runs(reader: PdfReader, index: int) -> list[dict]:
    """Return each piece of text pypdf finds on a page, with the state it was drawn in.

    pypdf interprets q/Q and cm while extracting, so `cm` is the transformation in
    force when the text was drawn.
    """
    runs: list[dict] = []

    def visit(text, cm, tm, font, size):  # pypdf's visitor_text signature
        if text.strip():
            base_font = font.get("/BaseFont") if font else None
            runs.append(
                {"text": text, "cm": cm, "tm": tm, "font": base_font, "size": size}
            )

    reader.pages[index].extract_text(visitor_text=visit)
    return runs


def header_run(reader: PdfReader, index: int) -> dict:
    (run,) = [r for r in text_runs(reader, index) if r["text"].startswith("Case ")]
    return run


def header_stream(reader: PdfReader, index: int) -> bytes:
    return pdf_stream(pdf_array(reader.pages[index]["/Contents"])[-1]).get_data()


def header_matrix(reader: PdfReader, index: int) -> list[float]:
    match = re.search(rb"([-\d. ]+) Tm", header_stream(reader, index))
    assert match is not None
    return [float(v) for v in match.group(1).split()]


def sha512(path: Path) -> str:
    return hashlib.sha512(path.read_bytes()).hexdigest()


def test_every_page_gets_its_header_and_keeps_its_text(tmp_path):
    """The first and last pages carry their own header, and the body text survives."""
    src = text_pdf(tmp_path / "in.pdf", 4)

    pages = stamp_pdf(src, tmp_path / "out.pdf", cmecf_header)

    reader = PdfReader(tmp_path / "out.pdf")
    assert pages == 4
    assert len(reader.pages) == 4
    first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
    assert cmecf_header(1, 4) in first
    assert "Body text of page 1" in first
    assert cmecf_header(4, 4) in last
    assert "Body text of page 4" in last


def test_header_is_small_helvetica_from_one_shared_font_object(tmp_path):
    """Every page uses the same 8 pt Helvetica font object, drawn in the identity space."""
    src = text_pdf(tmp_path / "in.pdf", 3)
    stamp_pdf(src, tmp_path / "out.pdf", cmecf_header)

    reader = PdfReader(tmp_path / "out.pdf")
    font_refs = set()
    for index, page in enumerate(reader.pages):
        run = header_run(reader, index)
        assert run["font"] == "/Helvetica"
        assert run["size"] == HEADER_FONT_SIZE
        assert run["cm"] == [1, 0, 0, 1, 0, 0]
        fonts = pdf_dict(pdf_dict(page["/Resources"])["/Font"])
        font_refs.add(fonts.raw_get("/FECFHdr").idnum)
    assert len(font_refs) == 1


def test_header_for_page_gets_page_number_and_count_in_order(tmp_path):
    src = text_pdf(tmp_path / "in.pdf", 3)
    calls: list[tuple[int, int]] = []

    def header(page: int, count: int) -> str:
        calls.append((page, count))
        return "x"

    stamp_pdf(src, tmp_path / "out.pdf", header)

    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_source_file_is_never_modified(tmp_path):
    src = text_pdf(tmp_path / "in.pdf", 3)
    before = sha512(src)

    stamp_pdf(src, tmp_path / "out.pdf", cmecf_header)

    assert sha512(src) == before


def test_refuses_to_write_over_its_source(tmp_path):
    src = text_pdf(tmp_path / "in.pdf", 1)
    before = sha512(src)

    with pytest.raises(ValueError, match="overwrite"):
        stamp_pdf(src, src, cmecf_header)

    assert sha512(src) == before


def test_stamping_twice_from_the_original_gives_identical_files(tmp_path):
    """A retried stamping task produces the same bytes, headers included."""
    src = text_pdf(tmp_path / "in.pdf", 3)

    stamp_pdf(src, tmp_path / "a.pdf", cmecf_header)
    stamp_pdf(src, tmp_path / "b.pdf", cmecf_header)

    a, b = PdfReader(tmp_path / "a.pdf"), PdfReader(tmp_path / "b.pdf")
    for index in range(3):
        assert header_stream(a, index) == header_stream(b, index)
        assert a.pages[index].extract_text() == b.pages[index].extract_text()
    assert sha512(tmp_path / "a.pdf") == sha512(tmp_path / "b.pdf")


def test_header_sits_in_the_top_margin_of_the_crop_box(tmp_path):
    """The header is centred on the visible area and a quarter inch below its top,
    even when the boxes don't start at the origin."""
    src = pages_pdf(
        tmp_path / "in.pdf",
        [body_text("Offset page", x=200, y=700)],
        page_extra=[b"/MediaBox [100 50 712 842] /CropBox [150 60 650 800]"],
    )
    stamp_pdf(src, tmp_path / "out.pdf", cmecf_header)

    reader = PdfReader(tmp_path / "out.pdf")
    a, b, c, d, x, y = header_matrix(reader, 0)
    assert (a, b, c, d) == (1, 0, 0, 1)
    assert y == pytest.approx(800 - HEADER_TOP_OFFSET)
    assert 150 < x < 400 < 650  # starts inside the crop box, left of its centre
    assert cmecf_header(1, 1) in reader.pages[0].extract_text()


def displayed(rotation, box, point, direction):
    """Map a user-space point and direction to the displayed page.

    Returns the point measured from the displayed top-left corner (y downwards) and
    the direction in displayed coordinates (y upwards). /Rotate turns clockwise.
    """
    llx, lly, urx, ury = box
    (x, y), (u, v) = point, direction
    return {
        0: ((x - llx, ury - y), (u, v)),
        90: ((y - lly, x - llx), (v, -u)),
        180: ((urx - x, y - lly), (-u, -v)),
        270: ((ury - y, urx - x), (-v, u)),
    }[rotation % 360]


@pytest.mark.parametrize("rotate", [90, 180, 270, -90])
def test_rotated_page_header_reads_left_to_right_at_the_displayed_top(tmp_path, rotate):
    """On a /Rotate page the header runs along the top edge the reader sees."""
    box = (0, 0, 612, 792)
    src = pages_pdf(
        tmp_path / "in.pdf",
        [body_text("Sideways")],
        page_extra=[b"/Rotate %d" % rotate],
    )
    stamp_pdf(src, tmp_path / "out.pdf", cmecf_header)

    reader = PdfReader(tmp_path / "out.pdf")
    a, b, _, _, x, y = header_matrix(reader, 0)
    (left, down), direction = displayed(rotate, box, (x, y), (a, b))
    displayed_width = 612 if rotate % 180 == 0 else 792
    assert direction == (1, 0)
    assert down == pytest.approx(HEADER_TOP_OFFSET)
    assert 0 < left < displayed_width / 2
    assert cmecf_header(1, 1) in reader.pages[0].extract_text()


def test_inherited_rotation_and_resources_are_honoured(tmp_path):
    """A page that takes /Resources and /Rotate from its /Pages node keeps its text
    font and gets the header along the displayed top."""
    src = write_pdf(
        tmp_path / "in.pdf",
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Count 1 /Kids [4 0 R] /Rotate 90 "
            b"/MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> >>",
            3: HELVETICA,
            4: b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>",
            5: stream(body_text("Inherited fonts")),
        },
    )
    stamp_pdf(src, tmp_path / "out.pdf", cmecf_header)

    reader = PdfReader(tmp_path / "out.pdf")
    text = reader.pages[0].extract_text()
    assert "Inherited fonts" in text
    assert cmecf_header(1, 1) in text
    fonts = pdf_dict(pdf_dict(reader.pages[0]["/Resources"])["/Font"])
    assert set(fonts) == {"/F1", "/FECFHdr"}
    a, b, _, _, x, y = header_matrix(reader, 0)
    assert displayed(90, (0, 0, 612, 792), (x, y), (a, b))[1] == (1, 0)


def test_pages_sharing_one_resource_dictionary_share_one_copy(tmp_path):
    """Pages that shared resources still do, and a form that uses the original
    dictionary is left with it, unchanged."""
    form = b"BT /F1 12 Tf 0 0 Td (Form text) Tj ET"
    src = write_pdf(
        tmp_path / "in.pdf",
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Count 3 /Kids [10 0 R 12 0 R 14 0 R] >>",
            3: HELVETICA,
            4: b"<< /Font << /F1 3 0 R >> /XObject << /Fm1 5 0 R >> >>",
            5: stream(
                form,
                b"/Type /XObject /Subtype /Form /BBox [0 0 200 50] /Resources 4 0 R ",
            ),
            **{
                10 + 2 * i: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                b"/Resources 4 0 R /Contents %d 0 R >>" % (11 + 2 * i)
                for i in range(3)
            },
            **{
                11 + 2 * i: stream(
                    body_text(f"Shared page {i + 1}")
                    + b" q 1 0 0 1 72 600 cm /Fm1 Do Q"
                )
                for i in range(3)
            },
        },
    )
    stamp_pdf(src, tmp_path / "out.pdf", cmecf_header)

    reader = PdfReader(tmp_path / "out.pdf")
    refs = {reader.pages[i].raw_get("/Resources") for i in range(3)}
    assert len(refs) == 1
    (ref,) = refs
    assert isinstance(ref, IndirectObject)
    for i in range(3):
        text = reader.pages[i].extract_text()
        assert f"Shared page {i + 1}" in text
        assert "Form text" in text
        assert cmecf_header(i + 1, 3) in text
    xobjects = pdf_dict(pdf_dict(reader.pages[0]["/Resources"])["/XObject"])
    form_resources = pdf_dict(pdf_dict(xobjects["/Fm1"])["/Resources"])
    assert set(pdf_dict(form_resources["/Font"])) == {"/F1"}


def test_existing_font_with_the_header_font_name_is_not_shadowed(tmp_path):
    """A file stamped once before keeps its Courier text; the new header gets a new name."""
    src = write_pdf(
        tmp_path / "in.pdf",
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Count 1 /Kids [4 0 R] >>",
            3: COURIER,
            4: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /FECFHdr 3 0 R >> >> /Contents 5 0 R >>",
            5: stream(body_text("Old header", font="/FECFHdr")),
        },
    )
    stamp_pdf(src, tmp_path / "out.pdf", cmecf_header)

    reader = PdfReader(tmp_path / "out.pdf")
    fonts = {run["text"].strip(): run["font"] for run in text_runs(reader, 0)}
    assert fonts == {"Old header": "/Courier", cmecf_header(1, 1): "/Helvetica"}


def test_unclosed_transformation_does_not_move_or_scale_the_header(tmp_path):
    """Page content that scales by 2 and never restores the state leaves the header
    at its usual place and size."""
    scaled = b"2 0 0 2 0 0 cm 1 0 0 rg BT /F1 12 Tf 10 300 Td (Scaled body) Tj ET"
    src = pages_pdf(tmp_path / "in.pdf", [scaled])
    stamp_pdf(src, tmp_path / "out.pdf", cmecf_header)

    reader = PdfReader(tmp_path / "out.pdf")
    runs = {run["text"].strip(): run for run in text_runs(reader, 0)}
    assert runs["Scaled body"]["cm"] == [2, 0, 0, 2, 0, 0]
    header = runs[cmecf_header(1, 1)]
    assert header["cm"] == [1, 0, 0, 1, 0, 0]
    assert header["size"] == HEADER_FONT_SIZE
    assert header["tm"][5] == pytest.approx(792 - HEADER_TOP_OFFSET)
    contents = pdf_array(reader.pages[0]["/Contents"])
    assert pdf_stream(contents[0]).get_data().split() == [b"q"]
    assert header_stream(reader, 0).split()[:2] == [b"Q", b"q"]


def test_page_without_contents_or_resources_is_stamped(tmp_path):
    src = write_pdf(
        tmp_path / "in.pdf",
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        },
    )
    stamp_pdf(src, tmp_path / "out.pdf", cmecf_header)

    assert cmecf_header(1, 1) in PdfReader(tmp_path / "out.pdf").pages[0].extract_text()


def test_header_text_is_escaped_and_unencodable_characters_print_as_question_marks(
    tmp_path,
):
    src = text_pdf(tmp_path / "in.pdf", 1)
    stamp_pdf(
        src, tmp_path / "out.pdf", lambda i, n: "Desc Exhibit (A) \\ Zoë 債 Page 1"
    )

    text = PdfReader(tmp_path / "out.pdf").pages[0].extract_text()
    assert "Desc Exhibit (A) \\ Zoë ? Page 1" in text


def test_narrow_page_shrinks_the_header_to_fit(tmp_path):
    src = pages_pdf(
        tmp_path / "in.pdf",
        [body_text("Narrow", x=10)],
        page_extra=[b"/MediaBox [0 0 300 400]"],
    )
    stamp_pdf(src, tmp_path / "out.pdf", cmecf_header)

    reader = PdfReader(tmp_path / "out.pdf")
    header = header_run(reader, 0)
    assert 5 <= header["size"] < HEADER_FONT_SIZE
    assert header["tm"][4] >= 0


def test_output_grows_by_less_than_a_kilobyte_per_page(tmp_path):
    """Target P1: the stamped file is at most the original plus 1 kB per page."""
    src = text_pdf(tmp_path / "in.pdf", 20)
    stamp_pdf(src, tmp_path / "out.pdf", cmecf_header)

    growth = (tmp_path / "out.pdf").stat().st_size - src.stat().st_size
    assert growth <= 20 * 1024


def test_output_passes_qpdf_check(tmp_path):
    src = pages_pdf(
        tmp_path / "in.pdf",
        [body_text("One"), body_text("Two"), b"2 0 0 2 0 0 cm"],
        page_extra=[b"", b"/Rotate 90", b"/CropBox [10 10 600 780]"],
    )
    stamp_pdf(src, tmp_path / "out.pdf", cmecf_header)

    result = subprocess.run(
        [require_command("qpdf"), "--check", str(tmp_path / "out.pdf")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
