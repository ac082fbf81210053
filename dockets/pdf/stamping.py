"""Print the CM/ECF header line at the top of every page of a filed PDF.

The header reads like the court's own (cmecf.md §4.3), for example
``Case 24-01234-LT7  Doc 17  Filed 11/26/26  Entered 11/26/26 14:03:12  Desc Main
Document  Page 3 of 12``, and the caller decides the wording page by page.

How it is done, and why: each page gets one small extra content stream that draws
the line in 8 pt Helvetica, plus a shared one-line ``q`` stream put in front of the
page's own contents. The page's streams are never decoded or re-encoded, and no
stamp page is merged (``merge_page`` costs 2.6-5x a bare copy, performance.md §3.1,
and fails target P1). The header stream starts with ``Q``, so whatever graphics
state the page's contents leave behind (a stray ``cm``, a colour, a clip) is undone
before the header is drawn.

Resources are copied on write: a page that shares its resource dictionary with
other pages, or inherits it from the page tree, points at a new dictionary that
adds the font. Pages that shared one dictionary before share one copy after, and
the original dictionary is left as it was for anything else that uses it. The
font is a standard-14 font, so nothing is embedded, and one font object serves
the whole document.

Known limit: page contents whose ``q`` and ``Q`` don't balance break ISO 32000-1
§8.4.2. With a ``q`` too many, the header may inherit the page's leftover
transformation; with a ``Q`` too many, the header's own ``Q`` finds nothing to
restore, which viewers ignore. Finding those pages means decoding every content
stream, which would about double the cost, so this module doesn't look.

The stamped copy carries no auto action: every /OpenAction and /AA is removed
(actions.strip_actions), so the file ECF serves does nothing when it is opened.

Nothing here touches the database, and the source file is never written to.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
)

from .actions import strip_actions

# cmecf.md §4.3: a single small line above the filer's own text.
HEADER_FONT_SIZE = 8.0
# Smallest size the header shrinks to on a page too narrow for the full line.
MIN_FONT_SIZE = 5.0
# Baseline a quarter inch below the top edge of the visible page: inside the one-inch
# margin that court filings must leave, clear of the edge printers can't reach.
HEADER_TOP_OFFSET = 18.0
HEADER_SIDE_MARGIN = 18.0

_FONT_BASE_NAME = "/FECFHdr"
# Used when a page has no usable /MediaBox (invalid, but seen): US Letter.
_LETTER = (0.0, 0.0, 612.0, 792.0)

# Helvetica advance widths (Adobe AFM, 1/1000 em) for bytes 32-126, used to centre
# the line. Other WinAnsi bytes are counted at 556, the width of a digit.
_HELVETICA_ASCII_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_WIDTH_OF_BYTE = (556,) * 32 + _HELVETICA_ASCII_WIDTHS + (556,) * 129
# Control characters would break the line or the string syntax; print them as spaces.
_CONTROL_TO_SPACE = dict.fromkeys([*range(32), 127], " ")

# For each /Rotate value: the user-space direction that points right on the displayed
# page, the one that points down, and which corner of the box is displayed top-left
# (indices into llx, lly, urx, ury). /Rotate turns the page clockwise for display.
_ORIENTATION = {
    0: ((1, 0), (0, -1), (0, 3)),
    90: ((0, 1), (1, 0), (0, 1)),
    180: ((-1, 0), (0, 1), (2, 1)),
    270: ((0, -1), (-1, 0), (2, 3)),
}

HeaderForPage = Callable[[int, int], str]


def stamp_pdf(
    src: str | Path,
    dst: str | Path,
    header_for_page: HeaderForPage,
    *,
    font_size: float = HEADER_FONT_SIZE,
) -> int:
    """Write a copy of `src` to `dst` with a header line on every page; return the page count.

    `header_for_page(i, n)` gives the text for page `i` (1-based) of `n`. Characters
    outside Windows-1252 print as ``?``. The line is centred in the top margin of the
    page as displayed (crop box and /Rotate respected) and shrinks on pages too
    narrow for it.

    `dst` is written through a temporary file in its directory and renamed into
    place, so a failure leaves no half-written file. Raises ValueError if `src` and
    `dst` are the same file or `src` is encrypted, and pypdf's errors if `src`
    can't be parsed.
    """
    src_path, dst_path = Path(src), Path(dst)
    if dst_path.exists() and os.path.samefile(src_path, dst_path):
        raise ValueError("stamp_pdf would overwrite its source file")
    # pypdf reads the whole file into memory from a path, which parses faster than
    # seeking through an open file; the file is never opened for writing.
    reader = PdfReader(src_path)
    if reader.is_encrypted:
        raise ValueError("cannot stamp an encrypted PDF")
    writer = PdfWriter(clone_from=reader, keep_initial_header=True)
    # The copy ECF serves does nothing on its own when opened: no /OpenAction
    # and no /AA anywhere, even ones validation allowed (actions.py).
    strip_actions(writer, all_auto=True)
    page_count = _add_headers(writer, header_for_page, font_size)
    _write_atomically(writer, dst_path)
    return page_count


def _add_headers(writer: PdfWriter, header_for_page: HeaderForPage, size: float) -> int:
    # writer._add_object is the only way pypdf 7 offers to add an indirect object
    # without a page around it; its own add_page and merge code call it the same way.
    pages = writer.pages
    page_count = len(pages)
    font_ref = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    push = DecodedStreamObject()
    push.set_data(b"q\n")
    push_ref = writer._add_object(push)
    resources = _ResourceCopier(writer, font_ref)

    for index, page in enumerate(pages, start=1):
        font_name = resources.add_font(page)
        header = DecodedStreamObject()
        header.set_data(
            _header_operators(
                header_for_page(index, page_count),
                box=_visible_box(page),
                rotation=_rotation(page),
                font_name=font_name,
                size=size,
            )
        )
        page[NameObject("/Contents")] = ArrayObject(
            [push_ref, *_content_refs(writer, page), writer._add_object(header)]
        )
    return page_count


class _ResourceCopier:
    """Give each page a resource dictionary that names the header font.

    Copy on write, at two levels: the page's effective resource dictionary (its own,
    shared or inherited; pypdf's clone has already copied inherited entries onto each
    page) is copied, and so is the /Font dictionary inside it, and only the copies
    get the header font. Sources are remembered, so pages that shared a dictionary
    (or a /Font dictionary) share one copy and the output grows by one small
    dictionary per source, not per page.
    """

    def __init__(self, writer: PdfWriter, font_ref: IndirectObject) -> None:
        self._writer = writer
        self._font_ref = font_ref
        # Keyed by _identity(); values keep the source alive so id() stays unique.
        self._resources: dict[
            tuple[str, int], tuple[object, PdfObject, NameObject]
        ] = {}
        self._fonts: dict[tuple[str, int], tuple[object, PdfObject, NameObject]] = {}

    def add_font(self, page: DictionaryObject) -> NameObject:
        """Point `page` at resources that include the header font; return its name."""
        raw = page.raw_get("/Resources") if "/Resources" in page else None
        key = _identity(raw)
        cached = self._resources.get(key)
        if cached is None:
            source = raw.get_object() if raw is not None else None
            copy = (
                DictionaryObject(source)
                if isinstance(source, DictionaryObject)
                else DictionaryObject()
            )
            fonts, name = self._font_dict_with_header(
                copy.raw_get("/Font") if "/Font" in copy else None
            )
            copy[NameObject("/Font")] = fonts
            procset = _resolved(copy, "/ProcSet")
            if isinstance(procset, ArrayObject) and "/Text" not in procset:
                copy[NameObject("/ProcSet")] = ArrayObject(
                    [*procset, NameObject("/Text")]
                )
            cached = (raw, self._store(copy, like=raw), name)
            self._resources[key] = cached
        page[NameObject("/Resources")] = cached[1]
        return cached[2]

    def _font_dict_with_header(
        self, raw: PdfObject | None
    ) -> tuple[PdfObject, NameObject]:
        key = _identity(raw)
        cached = self._fonts.get(key)
        if cached is None:
            source = raw.get_object() if raw is not None else None
            copy = (
                DictionaryObject(source)
                if isinstance(source, DictionaryObject)
                else DictionaryObject()
            )
            # A file stamped before already has the usual name; never shadow its font.
            name = NameObject(_FONT_BASE_NAME)
            suffix = 0
            while name in copy:
                suffix += 1
                name = NameObject(f"{_FONT_BASE_NAME}{suffix}")
            copy[name] = self._font_ref
            cached = (raw, self._store(copy, like=raw), name)
            self._fonts[key] = cached
        return cached[1], cached[2]

    def _store(self, copy: DictionaryObject, *, like: PdfObject | None) -> PdfObject:
        """Make `copy` indirect if its source was, so sharing pages share one object."""
        if isinstance(like, IndirectObject):
            return self._writer._add_object(copy)
        return copy


def _identity(raw: PdfObject | None) -> tuple[str, int]:
    if isinstance(raw, IndirectObject):
        return ("ref", raw.idnum)
    return ("direct", id(raw))


def _resolved(dictionary: DictionaryObject, key: str) -> PdfObject | None:
    """Return `dictionary[key]` with indirect references followed, or None if absent.

    ``DictionaryObject.get`` returns references unresolved; only ``[]`` follows them.
    """
    value = dictionary.get(key)
    return value.get_object() if value is not None else None


def _content_refs(writer: PdfWriter, page: DictionaryObject) -> list[PdfObject]:
    """Return the page's content streams as a list, without decoding any of them."""
    if "/Contents" not in page:
        return []
    raw = page.raw_get("/Contents")
    target = raw.get_object()
    if isinstance(target, ArrayObject):
        return list(target)
    if isinstance(raw, IndirectObject):
        return [raw]
    if isinstance(target, DictionaryObject):  # a direct stream: invalid, but repairable
        return [writer._add_object(target)]
    return []


def _rotation(page: DictionaryObject) -> int:
    # Whatever the file holds: int() takes numbers and numeric text, refuses the rest.
    rotate: Any = _resolved(page, "/Rotate") or 0
    try:
        value = int(rotate)
    except (TypeError, ValueError):
        return 0
    return (round(value / 90) * 90) % 360


def _box(page: DictionaryObject, key: str) -> tuple[float, float, float, float] | None:
    value = _resolved(page, key)
    if not isinstance(value, ArrayObject) or len(value) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(v.get_object()) for v in value)
    except (TypeError, ValueError):
        return None
    box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
        return None
    return box


def _visible_box(page: DictionaryObject) -> tuple[float, float, float, float]:
    """Return the crop box clipped to the media box (ISO 32000-1 §14.11.2)."""
    media = _box(page, "/MediaBox") or _LETTER
    crop = _box(page, "/CropBox")
    if crop is None:
        return media
    clipped = (
        max(media[0], crop[0]),
        max(media[1], crop[1]),
        min(media[2], crop[2]),
        min(media[3], crop[3]),
    )
    if clipped[2] <= clipped[0] or clipped[3] <= clipped[1]:
        return media
    return clipped


def _header_operators(
    text: str,
    *,
    box: tuple[float, float, float, float],
    rotation: int,
    font_name: str,
    size: float,
) -> bytes:
    right, down, (corner_x, corner_y) = _ORIENTATION[rotation]
    displayed_width = box[2] - box[0] if rotation in (0, 180) else box[3] - box[1]
    encoded = _encode(text)
    em_width = sum(map(_WIDTH_OF_BYTE.__getitem__, encoded)) or 1
    room = max(displayed_width - 2 * HEADER_SIDE_MARGIN, 1.0)
    if em_width * size / 1000 > room:
        size = max(MIN_FONT_SIZE, room * 1000 / em_width)
    across = max((displayed_width - em_width * size / 1000) / 2, 0.0)
    x = box[corner_x] + across * right[0] + HEADER_TOP_OFFSET * down[0]
    y = box[corner_y] + across * right[1] + HEADER_TOP_OFFSET * down[1]
    matrix = " ".join(_num(v) for v in (*right, -down[0], -down[1], x, y))
    # Leading newline: the previous stream may end mid-token. Q undoes the page's
    # graphics state, q/Q keeps the header's own state from leaking to later streams.
    return (
        b"\nQ\nq\nBT\n"
        + f"{font_name} {_num(size)} Tf 0 Tc 0 Tw 100 Tz 0 Ts 0 Tr 0 g\n".encode()
        + f"{matrix} Tm\n(".encode()
        + _escape(encoded)
        + b") Tj\nET\nQ\n"
    )


def _encode(text: str) -> bytes:
    return text.translate(_CONTROL_TO_SPACE).encode("cp1252", errors="replace")


def _escape(data: bytes) -> bytes:
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _write_atomically(writer: PdfWriter, dst: Path) -> None:
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent
    )
    try:
        with os.fdopen(fd, "wb") as out:
            writer.write(out)
        os.replace(tmp_name, dst)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
