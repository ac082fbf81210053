"""Official Form 410 on a fixed layout: the form laid out once per process, each claim's
answers written into its boxes.

WeasyPrint lays out the whole form for every claim, though all but the answers is the
same for every claim (measured: ~50 ms of CPU a claim, most of a claim POST's cost).
Here WeasyPrint lays out, once per process, variant (ePOC or not) and shape (how many
lines each answer takes), the form with a marker in each answer's box, the box as tall
as its answer's lines; the PDF is kept cut where each marker is drawn. A claim's PDF
is those pieces with the claim's lines written in place of each marker: the same
pages, boxes, fonts, tagged structure (each answer stays the text of its table cell
for a screen reader, PDF/UA-1), title and XMP metadata, drawn in the form's own font
(DejaVu Sans, whose embedded subset holds every character the fixed layout accepts).
Lines are broken as the form's CSS breaks them (at spaces, a word longer than its box
anywhere), measured with the embedded font's own widths. Measured: ~0.6 ms a claim;
laying out a new shape ~85 ms, once per process.

`render_fixed` returns None when an answer does not fit its box (too many lines, a
line too long), holds a character the embedded font cannot draw or a control
character, or the claim has a part the fixed layout does not carry (an amendment's
notice, Form 410A, an unsigned form): the caller renders the full form then
(form410.render_form410), so every filed form is complete.
"""

from __future__ import annotations

import codecs
import functools
import io
import re
import zlib
from dataclasses import dataclass
from typing import cast
from xml.sax.saxutils import escape as xml_escape

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from .form410 import (
    Cell,
    Form410Data,
    RenderedForm,
    _collector_paused,
    _form_html,
    _style,
    form410_cells,
    form410_title,
)

# Forms laid out and kept per process: one per variant (ePOC or not) and shape (the
# number of lines of each answer). Claims of a court share a few shapes.
TEMPLATES_KEPT = 64
# An answer longer than this many lines is rendered in full (bounds the shapes).
MAX_LINES = 8
# A form longer than this is rendered in full.
MAX_PAGES = 2
# The characters an answer may hold on the fixed layout: the embedded font subset
# carries each of them (they are set in the page's top margin, then taken out of the
# page). Anything else (another script, a control character) means the full render.
# Two sets: a claim in ASCII alone (most) gets a subset of ASCII (some 5 KB less
# font in every PDF); one with Latin-1 letters or typographic quotes the larger one.
ASCII = "".join(chr(c) for c in range(0x21, 0x7F))
CHARSETS = {
    "ascii": ASCII,
    "latin": ASCII
    + "".join(chr(c) for c in range(0xA1, 0x100) if c != 0xAD)
    + "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u20ac\u2122",  # quotes, dashes, …
}
_IN_ASCII = frozenset(ASCII + " ")
TITLE_MARKER = "QXTITLEXQ"
_CHARSET_SIZE_PX = 2  # the margin's font size, found again in the content stream


def _marker(index: int) -> str:
    return f"QX{index:02d}XQ"


@dataclass(frozen=True)
class _Slot:
    name: str
    x_left: float  # the box's content edges and the first baseline, in page units (px)
    x_right: float
    baseline: float
    line_height: float
    right_aligned: bool


@dataclass(frozen=True)
class _Template:
    """One variant of the form laid out, cut where each answer is drawn."""

    head: bytes  # the PDF's header, the unchanged objects: streams, then one object
    # stream holding every other unchanged object (written once, compressed)
    offsets: tuple[tuple[int, int], ...]  # (number, offset in head) of head's objects
    in_stream: tuple[tuple[int, int], ...]  # (number, index in the object stream)
    object_stream: int  # the object stream's number
    size: int  # object numbers in use, the xref stream's number excluded
    root: int
    info_number: int
    info: tuple[bytes, bytes]  # the Info dictionary around the title
    metadata_number: int
    metadata: tuple[bytes, bytes]  # the XMP packet around the title
    contents: tuple[int, ...]  # each page's content stream's number
    pieces: tuple[tuple[bytes, ...], ...]  # per page: its content between the answers
    slots: tuple[tuple[_Slot, ...], ...]  # per page: the answers drawn on it
    font: bytes  # the resource name of the body font
    font_size: tuple[tuple[float, ...], ...]  # per page, per slot
    glyphs: dict[str, tuple[str, int]]  # character -> (glyph id as hex, width /1000)
    pages: int


def _fixed_context(epoc: bool, shape: tuple[int, ...]) -> dict:
    cells = {}
    for index, (name, lines) in enumerate(
        zip(form410_cells(_SAMPLE), shape, strict=True)
    ):
        style = f' style="height: {lines * 1.3:.2f}em"' if lines > 1 else ""
        cells[name] = Cell((_marker(index),), mark_safe(style))  # noqa: S308 (ours)
    return {
        "c": cells,
        "title": TITLE_MARKER,
        "amends": "",
        "epoc": epoc,
        "signed": True,
        "mortgage_rows": [],
    }


_SAMPLE = Form410Data(
    court_name="",
    case_number="",
    debtor="",
    creditor_name="",
    creditor_address="",
    amount_cents=0,
    basis="",
    signer_name="x",
)


def _to_unicode(cmap: bytes) -> dict[int, str]:
    found: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar\n(.*?)endbfchar", cmap, re.S):
        for gid, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            found[int(gid, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange\n(.*?)endbfrange", cmap, re.S):
        for lo, hi, start in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            first = int(start, 16)
            for offset, gid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                found[gid] = chr(first + offset)
    return found


def _widths(w_array) -> dict[int, int]:
    widths: dict[int, int] = {}
    items = list(w_array)
    i = 0
    while i < len(items):
        first = int(items[i])
        following = items[i + 1]
        if isinstance(following, list):
            for offset, width in enumerate(following):
                widths[first + offset] = int(width)
            i += 2
        else:
            for gid in range(first, int(following) + 1):
                widths[gid] = int(items[i + 2])
            i += 3
    return widths


_NAMES = tuple(form410_cells(_SAMPLE))
# The court's three lines at the top of the form: one line each on the fixed layout.
_ONE_LINE = frozenset({"court", "debtor", "case"})

_SEQUENCE = re.compile(rb"/Span\n<</MCID \d+>>\nBDC\n(.*?)\nEMC\n", re.S)
_TEXT = re.compile(rb"BT\n.*ET", re.S)
_TM = re.compile(rb"1 0 0 -1 ([\d.]+) ([\d.]+) Tm\n/(\S+) ([\d.]+) Tf")
_HEX = re.compile(rb"<([0-9a-f]+)>")


def _serialize(obj) -> bytes:
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()


def _boxes(document) -> dict[str, tuple[float, float, float, bool]]:
    """Each marker's box: its content's left and right edges, its line height and
    whether its lines are set to the right, from WeasyPrint's layout."""
    found = {}

    def walk(box, block, line):
        text = getattr(box, "text", None)
        if text and text.startswith("QX") and text.endswith("XQ"):
            left = block.content_box_x()
            found[text] = (
                left,
                left + block.width,
                line.height,
                block.style["text_align_all"] == "right",
            )
        if type(box).__name__ in ("TableCellBox", "BlockBox"):
            block = box
        if type(box).__name__ == "LineBox":
            line = box
        for child in getattr(box, "children", None) or []:
            walk(child, block, line)

    for page in document.pages:
        walk(page._page_box, None, None)
    return found


def _cut(content: bytes, decode, body_font: bytes, boxes):
    """Cut one page's content where each marker is drawn (and take the margin's
    character set out). Returns the pieces between the answers, the answers' boxes
    and their font sizes; None when a marker is not drawn in the body font."""
    pieces: list[bytes] = []
    slots: list[_Slot] = []
    sizes: list[float] = []
    position = 0
    charset_found = False
    current = b""
    for match in _SEQUENCE.finditer(content):
        body = match.group(1)
        text_match = _TEXT.search(body)
        tm = _TM.search(body)
        if text_match is None or tm is None:
            continue
        start = match.start(1) + text_match.start()
        end = match.start(1) + text_match.end()
        if float(tm.group(4)) == _CHARSET_SIZE_PX and tm.group(3) == body_font:
            # The character set in the margin: taken out (its sequence left empty).
            current += content[position:start]
            position = end
            charset_found = True
            continue
        drawn = decode(body)
        if not (drawn.startswith("QX") and drawn.endswith("XQ")):
            continue
        if tm.group(3) != body_font:
            return None
        index = int(drawn[2:4])
        left, right, line_height, right_aligned = boxes[drawn]
        pieces.append(current + content[position:start])
        current = b""
        position = end
        slots.append(
            _Slot(
                name=_NAMES[index],
                x_left=left,
                x_right=right,
                baseline=float(tm.group(2)),
                line_height=line_height,
                right_aligned=right_aligned,
            )
        )
        sizes.append(float(tm.group(4)))
    pieces.append(current + content[position:])
    left = decode(b"".join(pieces))
    if not charset_found or "QX" in left or ASCII[:20] in left.replace(" ", ""):
        raise RuntimeError("Form 410's fixed layout kept a marker or its characters")
    return tuple(pieces), tuple(slots), tuple(sizes)


@functools.lru_cache(maxsize=TEMPLATES_KEPT)
def _template(epoc: bool, shape: tuple[int, ...], chars: str) -> _Template | None:
    """Lay out the form's variant once per process; cut its PDF where answers go."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, NameObject, StreamObject
    from weasyprint import CSS

    with translation.override("en"):
        html = render_to_string(
            "dockets/claims/form410_pdf.html", _fixed_context(epoc, shape)
        )
    stylesheet, fonts = _style()
    spaced = " ".join(CHARSETS[chars]).replace("\\", "\\\\").replace('"', '\\"')
    charset = CSS(
        string=f'@page {{ @top-right {{ content: "{spaced}"; '
        f"font-size: {_CHARSET_SIZE_PX}px; line-height: 1; }} }}",
        font_config=fonts,
    )
    with _collector_paused():
        document = _form_html()(string=html).render(
            stylesheets=[stylesheet, charset], font_config=fonts, pdf_variant="pdf/ua-1"
        )
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    pages = len(document.pages)
    boxes = _boxes(document)
    reader = PdfReader(io.BytesIO(pdf))
    if pages > MAX_PAGES or len(reader.pages) != pages:
        return None  # answers this long: rendered in full
    resources = cast(DictionaryObject, reader.pages[0]["/Resources"])
    fonts_dict = cast(DictionaryObject, resources["/Font"].get_object())
    body_font = None
    to_unicode: dict[int, str] = {}
    widths: dict[int, int] = {}
    for name, ref in fonts_dict.items():
        font = ref.get_object()
        if str(font["/BaseFont"]).endswith("+DejaVu-Sans"):
            body_font = name[1:].encode()
            to_unicode = _to_unicode(font["/ToUnicode"].get_object().get_data())
            widths = _widths(font["/DescendantFonts"][0].get_object()["/W"])
    if body_font is None:
        raise RuntimeError("Form 410's body font is not embedded")
    glyphs: dict[str, tuple[str, int]] = {}
    for gid, text in to_unicode.items():
        if len(text) == 1 and gid in widths:
            glyphs.setdefault(text, (f"{gid:04x}", widths[gid]))
    glyphs[" "] = glyphs.get(" ") or ("", 0)
    missing = [ch for ch in CHARSETS[chars] if ch not in glyphs]
    if missing or not glyphs[" "][0]:
        raise RuntimeError(f"Form 410's font lacks {missing!r}")

    def decode(sequence: bytes) -> str:
        return "".join(
            to_unicode.get(int(h[i : i + 4], 16), "")
            for h in _HEX.findall(sequence)
            for i in range(0, len(h), 4)
        )

    all_pieces: list[tuple[bytes, ...]] = []
    all_slots: list[tuple[_Slot, ...]] = []
    all_sizes: list[tuple[float, ...]] = []
    content_numbers: list[int] = []
    for page in reader.pages:
        content_ref = page.raw_get("/Contents")
        if not hasattr(content_ref, "idnum"):
            raise RuntimeError("Form 410's page has more than one content stream")
        content_numbers.append(content_ref.idnum)
        page_content = page.get_contents()
        if page_content is None:
            raise RuntimeError("Form 410's page has no content")
        cut = _cut(page_content.get_data(), decode, body_font, boxes)
        if cut is None:
            return None
        all_pieces.append(cut[0])
        all_slots.append(cut[1])
        all_sizes.append(cut[2])
    drawn_names = sorted(slot.name for slots in all_slots for slot in slots)
    if drawn_names != sorted(_NAMES):
        raise RuntimeError("Form 410's fixed layout lost an answer's box")

    info_number = reader.trailer.raw_get("/Info").idnum
    metadata_number = reader.root_object.raw_get("/Metadata").idnum
    info = _serialize(reader.get_object(info_number))
    title_bytes = b"(" + TITLE_MARKER.encode() + b")"
    if info.count(title_bytes) != 1:
        raise RuntimeError("Form 410's title is not in its Info dictionary once")
    info_parts = info.split(title_bytes)
    xmp = cast(StreamObject, reader.get_object(metadata_number)).get_data()
    if xmp.count(TITLE_MARKER.encode()) != 1:
        raise RuntimeError("Form 410's title is not in its XMP metadata once")
    xmp_parts = xmp.split(TITLE_MARKER.encode())

    streams: list[tuple[int, bytes]] = []
    packed: list[tuple[int, bytes]] = []
    size = cast(int, reader.trailer["/Size"])
    for number in range(1, size):
        if number in (info_number, metadata_number, *content_numbers):
            continue
        obj = reader.get_object(number)
        if obj is None:
            continue
        if isinstance(obj, StreamObject) and obj.get("/Type") in (
            NameObject("/ObjStm"),
            NameObject("/XRef"),
        ):
            continue
        if isinstance(obj, StreamObject):
            streams.append((number, _serialize(obj)))
        else:
            packed.append((number, _serialize(obj)))
    object_stream = size
    head = bytearray(b"%PDF-1.7\n%\xf0\x9f\x96\xa4\n")
    offsets: list[tuple[int, int]] = []
    for number, body in streams:
        offsets.append((number, len(head)))
        head += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    index = b""
    data = b""
    for number, body in packed:
        index += b"%d %d " % (number, len(data))
        data += body + b"\n"
    packed_stream = zlib.compress(index + data, 9)
    offsets.append((object_stream, len(head)))
    head += (
        b"%d 0 obj\n<</Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d>>"
        b"\nstream\n%s\nendstream\nendobj\n"
        % (object_stream, len(packed), len(index), len(packed_stream), packed_stream)
    )
    return _Template(
        head=bytes(head),
        offsets=tuple(offsets),
        in_stream=tuple((number, i) for i, (number, _) in enumerate(packed)),
        object_stream=object_stream,
        size=size + 1,
        root=reader.trailer.raw_get("/Root").idnum,
        info_number=info_number,
        info=(info_parts[0], info_parts[1]),
        metadata_number=metadata_number,
        metadata=(xmp_parts[0], xmp_parts[1]),
        contents=tuple(content_numbers),
        pieces=tuple(all_pieces),
        slots=tuple(all_slots),
        font=body_font,
        font_size=tuple(all_sizes),
        glyphs=glyphs,
        pages=pages,
    )


def _wrap(
    text: str, width: float, size: float, glyphs: dict[str, tuple[str, int]]
) -> list[tuple[str, float]] | None:
    """Break one answer's line into lines no wider than `width`: at spaces, and a word
    longer than a line anywhere (the form's CSS: overflow-wrap: anywhere). Returns
    each line with its width, or None when a character cannot be drawn."""
    scale = size / 1000
    space = glyphs[" "][1] * scale
    lines: list[tuple[str, float]] = []
    current = ""
    current_width = 0.0
    for number, word in enumerate(text.split(" ")):
        advances = []
        for ch in word:
            glyph = glyphs.get(ch)
            if glyph is None:
                return None
            advances.append(glyph[1] * scale)
        word_width = sum(advances)
        gap = space if number else 0.0
        if current_width + gap + word_width <= width:
            current += (" " if number else "") + word
            current_width += gap + word_width
            continue
        if word_width <= width:
            lines.append((current, current_width))
            current, current_width = word, word_width
            continue
        # Longer than a line: it starts where the line is and breaks anywhere.
        current += " " if number else ""
        current_width += gap
        for ch, advance in zip(word, advances, strict=True):
            if current_width + advance > width and current.strip():
                kept = current.rstrip(" ")
                lines.append((kept, current_width - (len(current) - len(kept)) * space))
                current, current_width = "", 0.0
            current += ch
            current_width += advance
    lines.append((current, current_width))
    return lines


def _fits(data: Form410Data) -> bool:
    return bool(data.signer_name) and not data.amends_claim and data.mortgage is None


def render_fixed(data: Form410Data) -> RenderedForm | None:
    """Form 410 for `data` on the fixed layout, or None when it does not fit it."""
    if not _fits(data):
        return None
    epoc = bool(data.epoc)
    # The boxes' widths, fonts and the glyphs are the same in every shape: read them
    # from the shape of one line an answer.
    base = _template(epoc, (1,) * len(_NAMES), "latin")
    if base is None:
        raise RuntimeError("Form 410's fixed layout must fit its pages")
    cells = form410_cells(data)
    glyphs = base.glyphs
    by_name: dict[str, list[tuple[str, float]]] = {}
    for slots, sizes in zip(base.slots, base.font_size, strict=True):
        for slot, size in zip(slots, sizes, strict=True):
            width = slot.x_right - slot.x_left - 0.5
            lines: list[tuple[str, float]] = []
            for line in cells[slot.name]:
                broken = _wrap(line, width, size, glyphs)
                if broken is None:
                    return None
                lines.extend(broken)
            if len(lines) > MAX_LINES or (slot.name in _ONE_LINE and len(lines) > 1):
                return None
            by_name[slot.name] = lines
    used = {ch for lines in by_name.values() for line, _ in lines for ch in line}
    template = _template(
        epoc,
        tuple(max(1, len(by_name[n])) for n in _NAMES),
        "ascii" if used <= _IN_ASCII else "latin",
    )
    if template is None:
        return None
    glyphs = template.glyphs
    if not used <= glyphs.keys():
        return None
    font = template.font.decode()
    contents = []
    for pieces, slots, sizes in zip(
        template.pieces, template.slots, template.font_size, strict=True
    ):
        parts = [pieces[0]]
        for slot, size, piece in zip(slots, sizes, pieces[1:], strict=True):
            ops = []
            for row, (line, line_width) in enumerate(by_name[slot.name]):
                if not line:
                    continue
                x = slot.x_right - line_width if slot.right_aligned else slot.x_left
                y = slot.baseline + row * slot.line_height
                hexed = "".join(glyphs[ch][0] for ch in line)
                ops.append(
                    f"BT\n1 0 0 -1 {x:.4f} {y:.4f} Tm\n/{font} {size:g} Tf\n"
                    f"<{hexed}> Tj\nET"
                )
            parts.append("\n".join(ops).encode())
            parts.append(piece)
        contents.append(b"".join(parts))
    return RenderedForm(pdf=_write(template, contents, data), pages=template.pages)


def _pdf_string(text: str) -> bytes:
    """A PDF text string as WeasyPrint writes one (pydyf.String): a literal string
    when ASCII, else UTF-16BE with its byte order mark."""
    try:
        literal = text.encode("ascii")
    except UnicodeEncodeError:
        utf16 = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
        return b"<" + utf16.hex().encode() + b">"
    return b"(" + re.sub(rb"([\\()])", rb"\\\1", literal) + b")"


def _write(template: _Template, contents: list[bytes], data: Form410Data) -> bytes:
    title = form410_title(data)
    xmp = (
        template.metadata[0] + xml_escape(title).encode("utf-8") + template.metadata[1]
    )
    changed = {
        number: b"<</Filter /FlateDecode /Length %d>>\nstream\n%s\nendstream"
        % (len(compressed), compressed)
        for number, compressed in zip(
            template.contents,
            (zlib.compress(content, 6) for content in contents),
            strict=True,
        )
    }
    changed |= {
        template.info_number: template.info[0] + _pdf_string(title) + template.info[1],
        template.metadata_number: b"<</Type /Metadata /Subtype /XML /Length %d>>\n"
        b"stream\n" % len(xmp) + xmp + b"\nendstream",
    }
    out = [template.head]
    offset = len(template.head)
    offsets = dict(template.offsets)
    for number, body in changed.items():
        offsets[number] = offset
        chunk = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        out.append(chunk)
        offset += len(chunk)
    # The cross-reference stream (PDF 1.5): type 1 = at an offset, 2 = in the
    # object stream, 0 = free.
    xref_number = template.size
    offsets[xref_number] = offset
    packed = dict(template.in_stream)
    rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
        elif number in packed:
            rows += (
                b"\x02"
                + template.object_stream.to_bytes(4, "big")
                + packed[number].to_bytes(2, "big")
            )
        else:
            rows += b"\x00\x00\x00\x00\x00\x00\x00"
    table = zlib.compress(bytes(rows), 6)
    out.append(
        b"%d 0 obj\n<</Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Info %d 0 R"
        b" /Filter /FlateDecode /Length %d>>\nstream\n%s\nendstream\nendobj\n"
        b"startxref\n%d\n%%%%EOF\n"
        % (
            xref_number,
            xref_number + 1,
            template.root,
            template.info_number,
            len(table),
            table,
            offset,
        )
    )
    return b"".join(out)
