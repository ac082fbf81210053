"""Hand-written PDFs with the page-tree shapes the stamping tests need.

reportlab can't make inherited or shared resource dictionaries, pages that leave
the graphics state transformed, or odd boxes, so these files are written object
by object. Each object body is the bytes between ``N 0 obj`` and ``endobj``.
"""

from __future__ import annotations

from pathlib import Path

HELVETICA = (
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
)
COURIER = (
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>"
)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    """Return the body of a stream object holding `data`, unfiltered."""
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)


def body_text(text: str, *, font: str = "/F1", x: int = 72, y: int = 700) -> bytes:
    """Return a content stream that writes `text` in 12 pt, wrapped in q/Q."""
    return f"q BT {font} 12 Tf {x} {y} Td ({text}) Tj ET Q".encode()


def build_pdf(objects: dict[int, bytes], *, root: int = 1) -> bytes:
    """Return a PDF file made of `objects` (number -> body) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    size = max(objects) + 1
    offsets = [0] * size
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in objects:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        root,
        xref,
    )
    return bytes(out)


def write_pdf(path: Path, objects: dict[int, bytes]) -> Path:
    path.write_bytes(build_pdf(objects))
    return path


def pages_pdf(
    path: Path, contents: list[bytes], *, page_extra: list[bytes] | None = None
) -> Path:
    """Write one page per content stream, each with its own resources naming /F1.

    `page_extra` adds raw entries to each page dictionary (e.g. ``b"/Rotate 90"``);
    pages get a US Letter /MediaBox unless their extra entries give one.
    """
    count = len(contents)
    extras = page_extra or [b""] * count
    kids = b" ".join(b"%d 0 R" % (10 + 2 * i) for i in range(count))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Count %d /Kids [%s] >>" % (count, kids),
        3: HELVETICA,
    }
    for i, (content, extra) in enumerate(zip(contents, extras, strict=True)):
        media_box = b"" if b"/MediaBox" in extra else b"/MediaBox [0 0 612 792] "
        objects[10 + 2 * i] = (
            b"<< /Type /Page /Parent 2 0 R %s"
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R %s >>"
            % (media_box, 11 + 2 * i, extra)
        )
        objects[11 + 2 * i] = stream(content)
    return write_pdf(path, objects)


def text_pdf(path: Path, pages: int) -> Path:
    """Write `pages` plain pages, each saying "Body text of page i"."""
    return pages_pdf(
        path, [body_text(f"Body text of page {i}") for i in range(1, pages + 1)]
    )
