"""Build real PDF files for tests: well-formed filings, and the byte-level builders the
hostile corpus (hostile_pdfs.py) and the image corpus (pdf_images.py) share.

Every function writes one file at `path` and returns `path`, so a test reads
`make_pdf(tmp_path / "motion.pdf", pages=3)`. Nothing here is stored in the
repository: each file is generated in the test's temporary directory.

Well-formed files come from reportlab; the hostile ones are edited with pypdf or
assembled byte by byte with `assemble_pdf`, which writes a correct xref table so
that each file is broken in exactly one way.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, PdfObject, StreamObject
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen import canvas

LEGAL = (612.0, 1008.0)
TABLOID = (792.0, 1224.0)  # 11 x 17 in
ARCH_C = (1224.0, 1584.0)  # 17 x 22 in

DEFAULT_TEXT = (
    "UNITED STATES BANKRUPTCY COURT\n"
    "In re: Jane Q. Debtor, Debtor. Case No. 24-10001\n"
    "MOTION TO EXTEND TIME\n"
    "The debtor moves for an extension of time to file schedules.\n"
    "/s/ Alex Attorney\n"
    "Alex Attorney, Counsel for the Debtor"
)


def pdf_bytes(
    *,
    pages: int = 1,
    text: str | Sequence[str] = DEFAULT_TEXT,
    pagesize: tuple[float, float] | Sequence[tuple[float, float]] = LETTER,
    compress: bool = True,
) -> bytes:
    """Return a text PDF of `pages` pages.

    `text` is one string for every page or one string per page; `pagesize` is
    one (width, height) in points or one per page.
    """
    texts = [text] * pages if isinstance(text, str) else list(text)
    sizes = _per_page_sizes(pagesize, pages)
    if len(texts) != pages:
        raise ValueError("give one text per page")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(
        buffer, pagesize=sizes[0], invariant=1, pageCompression=int(compress)
    )
    for number, (page_text, size) in enumerate(zip(texts, sizes, strict=True), 1):
        pdf.setPageSize(size)
        lines = page_text.replace("{page}", str(number)).split("\n")
        text_object = pdf.beginText(54, size[1] - 72)
        text_object.setFont("Helvetica", 11)
        for line in lines:
            text_object.textLine(line)
        pdf.drawText(text_object)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_pdf(
    path: Path,
    *,
    pages: int = 1,
    text: str | Sequence[str] = DEFAULT_TEXT,
    pagesize: tuple[float, float] | Sequence[tuple[float, float]] = LETTER,
) -> Path:
    """Write a valid text PDF (see `pdf_bytes`)."""
    path.write_bytes(pdf_bytes(pages=pages, text=text, pagesize=pagesize))
    return path


def make_image_only_pdf(path: Path, *, pages: int = 1) -> Path:
    """Write a scanned-looking PDF: one grey bitmap per page and no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    image = Image.new("L", (425, 550), 255)
    draw = ImageDraw.Draw(image)
    for y in range(40, 520, 14):  # ruled "lines of type" with no glyphs
        draw.line((40, y, 380 - (y % 90), y), fill=40, width=3)
    encoded = io.BytesIO()
    image.save(encoded, format="PNG")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=LETTER, invariant=1)
    for _ in range(pages):
        encoded.seek(0)
        pdf.drawImage(ImageReader(encoded), 0, 0, width=612, height=792)
        pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return path


def make_oversized_pdf(
    path: Path,
    *,
    sizes: Sequence[tuple[float, float]] = (LETTER, ARCH_C, TABLOID),
    text: str = DEFAULT_TEXT,
) -> Path:
    """Write one page per size; the defaults put oversized pages at 2 and 3."""
    return make_pdf(path, pages=len(sizes), text=text, pagesize=list(sizes))


def assemble_pdf(
    objects: Sequence[bytes],
    *,
    root: int = 1,
    header: bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
) -> bytes:
    """Return a PDF whose object n is `objects[n - 1]`, with a correct xref table."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, root)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def stream_object(data: bytes, entries: bytes = b"") -> bytes:
    """Return the body of a stream object holding `data` (for `assemble_pdf`)."""
    return (
        b"<< /Length %d %s>>\nstream\n" % (len(data), entries) + data + b"\nendstream"
    )


def _per_page_sizes(
    pagesize: tuple[float, float] | Sequence[tuple[float, float]], pages: int
) -> list[tuple[float, float]]:
    if len(pagesize) == 2 and all(isinstance(v, int | float) for v in pagesize):
        return [cast(tuple[float, float], tuple(pagesize))] * pages
    sizes = [
        cast(tuple[float, float], tuple(size))
        for size in cast(Sequence[Sequence[float]], pagesize)
    ]
    if len(sizes) != pages:
        raise ValueError("give one page size per page")
    return sizes


def page_count(path: Path) -> int:
    """Return the page count pypdf reads from `path` (for assertions)."""
    return len(PdfReader(path).pages)


# pypdf types every value read from a dictionary as the base PdfObject; a test that
# reads a PDF's structure says what it expects there, and fails if it is not.
def pdf_dict(value: PdfObject | None) -> DictionaryObject:
    """`value`, or the object it refers to, as a PDF dictionary."""
    resolved = value.get_object() if value is not None else None
    assert isinstance(resolved, DictionaryObject), f"not a PDF dictionary: {resolved!r}"
    return resolved


def pdf_array(value: PdfObject | None) -> ArrayObject:
    """`value`, or the object it refers to, as a PDF array."""
    resolved = value.get_object() if value is not None else None
    assert isinstance(resolved, ArrayObject), f"not a PDF array: {resolved!r}"
    return resolved


def pdf_stream(value: PdfObject | None) -> StreamObject:
    """`value`, or the object it refers to, as a PDF stream."""
    resolved = value.get_object() if value is not None else None
    assert isinstance(resolved, StreamObject), f"not a PDF stream: {resolved!r}"
    return resolved
