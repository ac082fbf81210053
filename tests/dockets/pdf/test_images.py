"""Image sizes and image codecs (dockets/pdf/images.py and validation._check_image).

A viewer allocates the bitmap an image declares, in its dictionary or in its codec's
own header, before it reads a byte of it: each hostile file here looks like a 10 x 10
image (or a page of text) and declares a gigapixel. Good files from real producers
(reportlab, WeasyPrint, pypdf, Pillow's JPEG and JPEG 2000, a 300 dpi JBIG2 scan)
must still pass.
"""

import io

import pdf_images
import pdfmaker
import pytest
from pypdf import PdfWriter
from pypdf.generic import RectangleObject
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen import canvas

from dockets.pdf import images
from dockets.pdf.validation import analyze_pdf

MAX = 35 * 1024 * 1024


def codes(path):
    return [problem.code for problem in analyze_pdf(path, max_bytes=MAX).problems]


@pytest.mark.parametrize("kind", pdf_images.HOSTILE_IMAGES)
def test_image_declaring_too_much_is_refused_without_decoding(tmp_path, kind):
    analysis = analyze_pdf(
        pdf_images.make_image_pdf(tmp_path / f"{kind}.pdf", kind), max_bytes=MAX
    )
    (problem,) = analysis.problems
    assert problem.code == ("damaged" if kind == "real_width" else "image_too_large")
    assert "Print the document to a new PDF" in problem.message or (
        "print it to a new PDF" in problem.message
    )


@pytest.mark.parametrize("codec", pdf_images.IMAGE_CODECS)
def test_page_content_with_an_image_codec_is_refused_as_damaged(tmp_path, codec):
    path = pdf_images.make_codec_content_pdf(tmp_path / "content.pdf", codec)
    assert codes(path) == ["damaged"]


def test_codec_headers_are_read():
    assert images.jpeg_size(pdf_images.jpeg_header(640, 480)) == images.Declared(
        640, 480, 3
    )
    assert images.jpx_sizes(pdf_images.jpx_codestream(100_000, 7, 4)) == [
        images.Declared(100_000, 7, 4)
    ]
    sizes = list(
        images.jbig2_sizes(
            pdf_images.jbig2_page_info(2550, 3300)
            + pdf_images.jbig2_region(2550, 100)
            + pdf_images.jbig2_symbol_dictionary(42)
        )
    )
    assert sizes == [
        images.Declared(2550, 3300),
        images.Declared(2550, 100),
        images.Declared(0, 0, symbols=42),
    ]


def test_endless_jbig2_segments_are_refused():
    data = pdf_images.jbig2_segment(1, 50, b"") * (images.MAX_JBIG2_SEGMENTS + 1)
    with pytest.raises(ValueError, match="too many JBIG2 segments"):
        list(images.jbig2_sizes(data))


@pytest.mark.parametrize("codec", ["jpeg", "jpx"])
def test_real_photos_pass(tmp_path, codec):
    assert codes(pdf_images.make_photo_pdf(tmp_path / "photo.pdf", codec=codec)) == []


def test_jbig2_scan_at_300_dpi_passes(tmp_path):
    assert codes(pdf_images.make_jbig2_scan_pdf(tmp_path / "scan.pdf")) == []


def test_reportlab_with_a_jpeg_passes(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    photo = io.BytesIO()
    Image.new("RGB", (1200, 900), (90, 120, 200)).save(photo, format="JPEG")
    photo.seek(0)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=LETTER)
    pdf.drawString(72, 720, "Exhibit A: photograph of the collateral")
    pdf.drawImage(ImageReader(photo), 72, 300, width=400, height=300)
    pdf.linkURL("https://www.uscourts.gov/", (72, 700, 300, 730))
    pdf.showPage()
    pdf.save()
    path = tmp_path / "exhibit.pdf"
    path.write_bytes(buffer.getvalue())
    assert b"/DCTDecode" in path.read_bytes()
    assert codes(path) == []


def test_weasyprint_with_web_and_internal_links_passes(tmp_path):
    from weasyprint import HTML

    html = (
        '<h1 id="top">In re Jane Q. Debtor</h1><p>See <a href="https://www.law.'
        'cornell.edu/uscode/text/11/362">11 U.S.C. 362</a> and <a href="#top">'
        "above</a>.</p><p>/s/ Alex Attorney</p>"
    )
    path = tmp_path / "brief.pdf"
    path.write_bytes(HTML(string=html).write_pdf())
    assert codes(path) == []


def test_pypdf_rewritten_file_with_outline_passes(tmp_path):
    writer = PdfWriter(clone_from=io.BytesIO(pdfmaker.pdf_bytes(pages=3)))
    writer.add_outline_item(title="Argument", page_number=1)
    writer.add_uri(
        0, "https://www.law.cornell.edu/", RectangleObject([72, 72, 200, 100])
    )
    path = tmp_path / "rewritten.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert codes(path) == []


def test_untyped_thumbnail_with_a_jpeg_passes(tmp_path):
    """Some writers leave a page thumbnail (/Thumb) without /Type and /Subtype."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Thumb 4 0 R >>",
        pdfmaker.stream_object(
            pdf_images.jpeg_header(76, 99),
            b"/Width 76 /Height 99 /BitsPerComponent 8 /ColorSpace /DeviceRGB "
            b"/Filter /DCTDecode ",
        ),
    ]
    path = tmp_path / "thumb.pdf"
    path.write_bytes(pdfmaker.assemble_pdf(objects))
    assert codes(path) == []
    path.write_bytes(
        path.read_bytes().replace(b"/Width 76 /Height 99", b"/Width 76 /Height 9.")
    )  # same length, so the xref table still fits: a real height is refused
    assert codes(path) == ["damaged"]


@pytest.mark.parametrize("flate", [True, False])
@pytest.mark.parametrize("in_form", [False, True])
def test_inline_image_declaring_a_gigapixel_is_refused(tmp_path, flate, in_form):
    path = pdf_images.make_inline_image_pdf(
        tmp_path / "inline.pdf", flate=flate, in_form=in_form
    )
    assert codes(path) == ["image_too_large"]


def test_small_inline_image_passes_and_a_real_size_does_not(tmp_path):
    small = pdf_images.make_inline_image_pdf(
        tmp_path / "small.pdf", width=b"2", height=b"2"
    )
    assert codes(small) == []
    real = pdf_images.make_inline_image_pdf(
        tmp_path / "real.pdf", width=b"2.5", height=b"2"
    )
    assert codes(real) == ["damaged"]
