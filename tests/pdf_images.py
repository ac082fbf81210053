"""PDFs with images: every image codec a filing may carry, hostile image headers,
inline images, and the benign photo and JBIG2 scans real filings contain.

Each function writes one file at `path` and returns `path` (see pdfmaker.py).
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from pdfmaker import assemble_pdf, stream_object

IMAGE_CODECS = ("/JBIG2Decode", "/DCTDecode", "/JPXDecode", "/CCITTFaxDecode")


def make_codec_content_pdf(path: Path, codec: str = "/DCTDecode") -> Path:
    """Write a PDF whose page content stream claims an image codec as its filter."""
    data = jpeg_header(60_000, 60_000) if codec == "/DCTDecode" else b"\x00" * 64
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        stream_object(data, b"/Filter %s " % codec.encode()),
    ]
    path.write_bytes(assemble_pdf(objects))
    return path


def jpeg_header(width: int, height: int, components: int = 3) -> bytes:
    """The start of a JPEG: SOI, an APP0 segment, and a baseline frame header."""
    frame = struct.pack(">BHHB", 8, height, width, components)
    frame += b"".join(bytes([i + 1, 0x11, 0]) for i in range(components))
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", len(app0) + 2)
        + app0
        + b"\xff\xc0"
        + struct.pack(">H", len(frame) + 2)
        + frame
        + b"\xff\xd9"
    )


def jpx_codestream(width: int, height: int, components: int = 3) -> bytes:
    """The start of a JPEG 2000 codestream: SOC and a SIZ marker."""
    siz = struct.pack(
        ">HIIIIIIIIH", 0, width, height, 0, 0, width, height, 0, 0, components
    )
    siz += b"\x07\x01\x01" * components
    return b"\xff\x4f\xff\x51" + struct.pack(">H", len(siz) + 2) + siz + b"\xff\xd9"


def jbig2_segment(number: int, kind: int, body: bytes, *, page: int = 1) -> bytes:
    """One JBIG2 segment (embedded format): header, then `body`."""
    return struct.pack(">IBBBI", number, kind, 0, page, len(body)) + body


def jbig2_page_info(width: int, height: int) -> bytes:
    return jbig2_segment(0, 48, struct.pack(">IIIIBH", width, height, 0, 0, 0, 0))


def jbig2_region(width: int, height: int, number: int = 1) -> bytes:
    """An immediate generic region segment's header: region information only."""
    return jbig2_segment(
        number, 38, struct.pack(">IIIIB", width, height, 0, 0, 0) + b"\x00"
    )


def jbig2_symbol_dictionary(symbols: int) -> bytes:
    """A symbol dictionary (generic template 0) declaring `symbols` symbols."""
    body = struct.pack(">H", 0) + b"\x03\xff\xfd\xff\x02\xfe\xfe\xfe"
    body += struct.pack(">II", symbols, symbols)
    return jbig2_segment(0, 0, body, page=0)


HOSTILE_IMAGES = (
    "real_width",
    "too_many_samples",
    "jpeg_gigapixel",
    "jpx_gigapixel",
    "jp2_gigapixel",
    "jbig2_page_gigapixel",
    "jbig2_region_gigapixel",
    "jbig2_globals_symbols",
    "jbig2_globals_gigapixel",
    "ccitt_columns",
    "flate_wrapped_jpx_gigapixel",
)


def make_image_pdf(path: Path, kind: str) -> Path:
    """Write a one-page PDF with one small-looking image that declares a huge one.

    `kind` is one of HOSTILE_IMAGES; the image dictionary itself says 10 x 10
    unless the kind is about the dictionary.
    """
    width, height, space = b"10", b"10", b"/DeviceGray"
    extra = b""
    globals_body = None
    data = b"\x00" * 16
    codec = b""
    if kind == "real_width":
        width = b"100.5"
    elif kind == "too_many_samples":
        width, height = b"20000", b"10000"
        space = b"[/DeviceN [/A /B /C /D /E /F /G /H] /DeviceCMYK 9 0 R]"
    elif kind == "jpeg_gigapixel":
        codec, data = b"/DCTDecode", jpeg_header(60_000, 60_000)
    elif kind == "jpx_gigapixel":
        codec, data = b"/JPXDecode", jpx_codestream(100_000, 100_000)
    elif kind == "jp2_gigapixel":
        ihdr = struct.pack(">IIHBBBB", 100_000, 100_000, 3, 7, 7, 0, 0)
        jp2h = struct.pack(">I4s", 8 + len(ihdr), b"ihdr") + ihdr
        data = (
            b"\x00\x00\x00\x0cjP  \r\n\x87\n"
            + struct.pack(">I4s", 8 + len(jp2h), b"jp2h")
            + jp2h
            + struct.pack(">I4s", 8 + 60, b"jp2c")
            + jpx_codestream(10, 10)[:60]
        )
        codec = b"/JPXDecode"
    elif kind == "jbig2_page_gigapixel":
        codec, data = b"/JBIG2Decode", jbig2_page_info(100_000, 100_000)
    elif kind == "jbig2_region_gigapixel":
        codec = b"/JBIG2Decode"
        data = jbig2_page_info(10, 10) + jbig2_region(100_000, 100_000)
    elif kind in ("jbig2_globals_symbols", "jbig2_globals_gigapixel"):
        codec = b"/JBIG2Decode"
        data = jbig2_page_info(10, 10) + jbig2_region(10, 10)
        globals_body = (
            jbig2_symbol_dictionary(2_000_000_000)
            if kind == "jbig2_globals_symbols"
            else jbig2_region(100_000, 100_000)
        )
        extra = b"/DecodeParms << /JBIG2Globals 5 0 R >> "
    elif kind == "ccitt_columns":
        codec = b"/CCITTFaxDecode"
        extra = b"/DecodeParms << /K -1 /Columns 1000000 /Rows 100000 >> "
    elif kind == "flate_wrapped_jpx_gigapixel":
        codec, data = (
            b"[/FlateDecode /JPXDecode]",
            zlib.compress(jpx_codestream(100_000, 100_000)),
        )
    else:
        raise ValueError(kind)
    entries = (
        b"/Type /XObject /Subtype /Image /Width %s /Height %s /BitsPerComponent 8 "
        b"/ColorSpace %s " % (width, height, space)
    )
    if codec:
        entries += b"/Filter %s " % codec
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
        b" /Resources << /XObject << /Im1 4 0 R >> >> /Contents 6 0 R >>",
        stream_object(data, entries + extra),
        stream_object(globals_body or b""),
        stream_object(b"q 100 0 0 100 72 600 cm /Im1 Do Q"),
        b"null",
        b"null",
        b"<< /FunctionType 2 /Domain [0 1] /N 1 >>",
    ]
    path.write_bytes(assemble_pdf(objects))
    return path


def make_inline_image_pdf(
    path: Path,
    *,
    width: bytes = b"100000",
    height: bytes = b"100000",
    flate: bool = True,
    in_form: bool = False,
) -> Path:
    """Write a PDF whose page (or a form it draws) holds one inline image
    declaring `width` x `height` grey pixels (with 4 bytes of data)."""
    content = (
        b"q 100 0 0 100 72 600 cm BI /W %s /H %s /CS /G /BPC 8 ID \x00\x00\x00\x00 EI Q"
        % (width, height)
    )
    entries = b""
    if flate:
        content, entries = zlib.compress(content), b"/Filter /FlateDecode "
    page_content = stream_object(content, entries)
    resources = b""
    if in_form:
        page_content = stream_object(b"q /Fm1 Do Q")
        resources = b" /Resources << /XObject << /Fm1 5 0 R >> >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R%s >>"
        % resources,
        page_content,
        stream_object(
            content, entries + b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
        ),
    ]
    path.write_bytes(assemble_pdf(objects))
    return path


def make_photo_pdf(path: Path, *, codec: str = "jpeg") -> Path:
    """Write a PDF with a real photo, as a scanner or phone app would: JPEG or JPEG 2000."""
    from PIL import Image

    image = Image.new("RGB", (640, 480), (200, 180, 150))
    for x in range(0, 640, 8):
        image.putpixel((x, x % 480), (10, 20, 30))
    encoded = io.BytesIO()
    image.save(encoded, format="JPEG" if codec == "jpeg" else "JPEG2000")
    name = b"/DCTDecode" if codec == "jpeg" else b"/JPXDecode"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
        b" /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
        stream_object(
            encoded.getvalue(),
            b"/Type /XObject /Subtype /Image /Width 640 /Height 480 "
            b"/BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter %s " % name,
        ),
        stream_object(b"q 612 0 0 459 0 166 cm /Im1 Do Q"),
    ]
    path.write_bytes(assemble_pdf(objects))
    return path


def make_jbig2_scan_pdf(path: Path) -> Path:
    """Write a PDF with a letter-size 300 dpi JBIG2 page header, as scanners write."""
    data = jbig2_page_info(2550, 3300) + jbig2_region(2550, 3300)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
        b" /Resources << /XObject << /Im1 4 0 R >> >> /Contents 6 0 R >>",
        stream_object(
            data,
            b"/Type /XObject /Subtype /Image /Width 2550 /Height 3300 "
            b"/BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /JBIG2Decode "
            b"/DecodeParms << /JBIG2Globals 5 0 R >> ",
        ),
        stream_object(jbig2_symbol_dictionary(1200)),
        stream_object(b"q 612 0 0 792 0 0 cm /Im1 Do Q"),
    ]
    path.write_bytes(assemble_pdf(objects))
    return path
