"""Make a fixable upload acceptable: flatten form fields, shrink oversized pages,
remove actions that fire on their own or reach outside the document.

Offered to the filer when validation refuses a file only for reasons in
validation.REPAIRABLE_CODES (page size, refused actions) or notes fillable
fields (which some courts refuse: cmecf.md section 4.1). The
filer sees the descriptions this returns and accepts the copy before it is
filed; the original upload is never changed.

Flattening draws each field's existing appearance (what a reader shows) into
the page and removes the field, the "print to PDF" fix courts advise, without
the printer. Shrinking scales a page's content uniformly onto letter paper in
the page's own orientation, centred; nothing is rotated (courts ask that pages
not be rotated to fit).

Run only on a file that passed validation apart from these things: this
module parses the file in the caller's process.

Pure: no Django.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter, apply_configuration
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    RectangleObject,
    StreamObject,
)

from .actions import strip_actions
from .validation import is_oversized, page_size_points, reading_limits

LETTER_PT = (612.0, 792.0)

# Annotation flags (PDF 32000-1 table 165): a hidden or no-view field shows
# nothing on screen, so flattening draws nothing for it.
_HIDDEN = 1 << 1
_NO_VIEW = 1 << 5
_FONT_SIZE = re.compile(rb"([0-9.]+)\s+Tf")


@dataclass
class _Counts:
    fields: set[int] = field(default_factory=set)  # object numbers of fields
    xobjects: int = 0


def repair_pdf(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> list[str]:
    """Write a repaired copy of `src` to `dst` and describe each change.

    Returns [] and writes nothing when there is nothing to repair. Raises
    ValueError if `dst` is `src`, and pypdf's errors for a file it cannot
    read (validate first).
    """
    if os.path.exists(dst) and os.path.samefile(src, dst):
        raise ValueError("repair_pdf never overwrites its source")
    with open(src, "rb") as handle:
        data = handle.read()
    with apply_configuration(**reading_limits(len(data))):
        reader = PdfReader(BytesIO(data), strict=True)
        needs_flattening = _has_form_fields(reader)
        oversized = [
            number
            for number, page in enumerate(reader.pages, 1)
            if is_oversized(*page_size_points(page))
        ]
        writer = PdfWriter(clone_from=reader)
        # Actions validation refuses are removed, never copied (actions.py);
        # first, so an action on a field that is then flattened is listed too.
        changes = strip_actions(writer, all_auto=False)
        if needs_flattening:
            counts = _flatten_form(writer)
            changes.append(_flatten_description(counts))
        if oversized:
            sizes = []
            for number in oversized:
                page = writer.pages[number - 1]
                sizes.append((number, *page_size_points(page)))
                _shrink_to_letter(writer, page)
            changes.append(_shrink_description(sizes))
        # Drop what only the removed fields used, so no widget (or anything it
        # pointed to) rides along in the file unreferenced.
        if not changes:
            return []
        _drop_unreachable(writer)
        with open(dst, "wb") as handle:
            writer.write(handle)
    return changes


def _drop_unreachable(writer: PdfWriter) -> None:
    """Remove objects the catalog and document info no longer lead to.

    pypdf's own `compress_identical_objects(remove_unreferenced=True)` keeps
    an object that an orphan still mentions, such as a widget listed by a
    removed /AcroForm, so reachability is traced here instead.
    """
    stack: list[Any] = [writer.root_object, writer._info]
    reached: set[int] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.pdf is not writer or item.idnum in reached:
                continue
            reached.add(item.idnum)
            item = item.get_object()
        reference = getattr(item, "indirect_reference", None)
        if isinstance(reference, IndirectObject) and reference.pdf is writer:
            reached.add(reference.idnum)
        if isinstance(item, DictionaryObject):
            stack.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
    for index in range(len(writer._objects)):
        if index + 1 not in reached:
            writer._objects[index] = None


def _has_form_fields(reader: PdfReader) -> bool:
    acro_form = reader.root_object.get("/AcroForm")
    if isinstance(acro_form, DictionaryObject):
        fields = acro_form.get("/Fields")
        if isinstance(fields, ArrayObject) and len(fields) > 0:
            return True
    return any(True for _ in _widgets_of_pages(reader.pages))


def _widgets_of_pages(pages: Any) -> Iterator[DictionaryObject]:
    for page in pages:
        for _, annotation in _annotations(page):
            if annotation.get("/Subtype") == "/Widget":
                yield annotation


def _annotations(page: PageObject) -> list[tuple[Any, DictionaryObject]]:
    """(entry as stored in /Annots, resolved annotation) for each annotation."""
    annots = page.get("/Annots")
    annots = annots.get_object() if annots is not None else None
    if not isinstance(annots, ArrayObject):
        return []
    resolved = []
    for entry in list.__iter__(annots):
        annotation = entry.get_object() if entry is not None else None
        if isinstance(annotation, DictionaryObject):
            resolved.append((entry, annotation))
    return resolved


def _flatten_form(writer: PdfWriter) -> _Counts:
    """Draw every visible widget's appearance into its page; remove the form."""
    counts = _Counts()
    for page in writer.pages:
        kept = ArrayObject()
        drawing = []
        for entry, annotation in _annotations(page):
            if annotation.get("/Subtype") != "/Widget":
                kept.append(entry)
                continue
            counts.fields.add(_field_number(entry, annotation))
            flags = annotation.get("/F", 0)
            if isinstance(flags, int) and flags & (_HIDDEN | _NO_VIEW):
                continue
            appearance = _appearance(annotation)
            placement = _placement(annotation, appearance) if appearance else None
            if placement is None or appearance is None:
                continue
            counts.xobjects += 1
            name = f"/ECFField{counts.xobjects}"
            _page_xobjects(writer, page)[NameObject(name)] = _as_reference(
                writer, appearance
            )
            matrix = " ".join(_number(value) for value in placement)
            drawing.append(f"q {matrix} cm {name} Do Q")
        if kept:
            page[NameObject("/Annots")] = kept
        elif "/Annots" in page:
            del page["/Annots"]
        if drawing:
            _wrap_contents(
                writer, page, before="q\n", after="\nQ\n" + "\n".join(drawing)
            )
    if "/AcroForm" in writer.root_object:
        del writer.root_object["/AcroForm"]
    return counts


def _field_number(entry: Any, widget: DictionaryObject) -> int:
    """Identify the field a widget belongs to (radio buttons share one)."""
    parent = widget.raw_get("/Parent") if "/Parent" in widget else None
    if "/T" not in widget and isinstance(parent, IndirectObject):
        return parent.idnum
    return entry.idnum if isinstance(entry, IndirectObject) else id(widget)


def _appearance(widget: DictionaryObject) -> StreamObject | None:
    """The widget's normal appearance stream, made if a text field lacks one."""
    appearances = widget.get("/AP")
    normal = (
        appearances.get("/N") if isinstance(appearances, DictionaryObject) else None
    )
    normal = normal.get_object() if normal is not None else None
    if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject):
        # Check boxes and radio buttons: one appearance per state, /AS picks.
        state = widget.get("/AS")
        normal = normal.get(state) if state is not None else None
        normal = normal.get_object() if normal is not None else None
    if isinstance(normal, StreamObject):
        if "/BBox" not in normal:
            return None
        return normal
    return _text_appearance(widget)


def _text_appearance(widget: DictionaryObject) -> StreamObject | None:
    """A one-line Helvetica appearance for a text field that has a value only.

    Forms saved with /NeedAppearances leave drawing the value to the reader;
    flattening must draw it instead or the value would vanish.
    """
    owner = widget
    for _ in range(32):  # field trees are shallow; a /Parent cycle must not hang
        parent = owner.get("/Parent")
        if "/FT" in owner or not isinstance(parent, DictionaryObject):
            break
        owner = parent
    value = owner.get("/V")
    if owner.get("/FT") != "/Tx" or not isinstance(value, str) or not value:
        return None
    rect = _rectangle(widget.get("/Rect"))
    if rect is None:
        return None
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    size_match = _FONT_SIZE.search(
        str(owner.get("/DA", widget.get("/DA", ""))).encode()
    )
    size = float(size_match.group(1)) if size_match else 0.0
    if size <= 0:
        size = max(4.0, min(12.0, height * 0.7))
    text = value.replace("\r", " ").replace("\n", " ")
    escaped = (
        text.encode("cp1252", errors="replace")
        .replace(b"\\", b"\\\\")
        .replace(b"(", b"\\(")
        .replace(b")", b"\\)")
    )
    baseline = max(1.0, (height - size) / 2 + size * 0.22)
    stream = DecodedStreamObject()
    stream.set_data(
        b"/Tx BMC q BT /Helv %s Tf 2 %s Td (%s) Tj ET Q EMC"
        % (_number(size).encode(), _number(baseline).encode(), escaped)
    )
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): RectangleObject([0, 0, width, height]),
            NameObject("/Resources"): DictionaryObject(
                {
                    NameObject("/Font"): DictionaryObject(
                        {
                            NameObject("/Helv"): DictionaryObject(
                                {
                                    NameObject("/Type"): NameObject("/Font"),
                                    NameObject("/Subtype"): NameObject("/Type1"),
                                    NameObject("/BaseFont"): NameObject("/Helvetica"),
                                    NameObject("/Encoding"): NameObject(
                                        "/WinAnsiEncoding"
                                    ),
                                }
                            )
                        }
                    )
                }
            ),
        }
    )
    return stream


def _placement(
    widget: DictionaryObject, appearance: StreamObject
) -> tuple[float, ...] | None:
    """The matrix that maps the appearance onto the widget's /Rect.

    PDF 32000-1 12.5.5: transform the form's /BBox by its /Matrix, then
    scale and translate that box onto /Rect. The form's own /Matrix is
    applied by the Do operator, so only the second step is returned.
    """
    rect = _rectangle(widget.get("/Rect"))
    bbox = _rectangle(appearance.get("/BBox"))
    if rect is None or bbox is None:
        return None
    matrix = appearance.get("/Matrix")
    a, b, c, d, e, f = (
        [float(value) for value in matrix]
        if isinstance(matrix, ArrayObject) and len(matrix) == 6
        else [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    )
    corners = [
        (a * x + c * y + e, b * x + d * y + f)
        for x in (bbox[0], bbox[2])
        for y in (bbox[1], bbox[3])
    ]
    x0, x1 = min(x for x, _ in corners), max(x for x, _ in corners)
    y0, y1 = min(y for _, y in corners), max(y for _, y in corners)
    if x1 - x0 <= 0 or y1 - y0 <= 0:
        return None
    sx = (rect[2] - rect[0]) / (x1 - x0)
    sy = (rect[3] - rect[1]) / (y1 - y0)
    return (sx, 0.0, 0.0, sy, rect[0] - sx * x0, rect[1] - sy * y0)


def _shrink_to_letter(writer: PdfWriter, page: PageObject) -> None:
    """Scale the page's content onto letter paper (same orientation), centred."""
    left, bottom, right, _ = _rectangle(page.cropbox) or (0.0, 0.0, 0.0, 0.0)
    real_width, real_height = page_size_points(page)
    unit = real_width / (right - left) if right > left else 1.0
    turned = page.rotation % 180 == 90
    shown_width, shown_height = (
        (real_height, real_width) if turned else (real_width, real_height)
    )
    target = (LETTER_PT[1], LETTER_PT[0]) if shown_width > shown_height else LETTER_PT
    factor = min(target[0] / shown_width, target[1] / shown_height)
    # The page is stored unrotated; its /Rotate turns it when shown.
    new_width, new_height = (target[1], target[0]) if turned else target
    scale = factor * unit
    dx = (new_width - real_width * factor) / 2 - scale * left
    dy = (new_height - real_height * factor) / 2 - scale * bottom
    matrix = (scale, 0.0, 0.0, scale, dx, dy)
    _wrap_contents(
        writer,
        page,
        before="q " + " ".join(_number(value) for value in matrix) + " cm\n",
        after="\nQ",
    )
    for _, annotation in _annotations(page):
        _transform_annotation(annotation, matrix)
    page.mediabox = RectangleObject([0, 0, new_width, new_height])
    page.cropbox = RectangleObject([0, 0, new_width, new_height])
    for key in ("/BleedBox", "/TrimBox", "/ArtBox", "/UserUnit"):
        if key in page:
            del page[key]


def _transform_annotation(
    annotation: DictionaryObject, matrix: tuple[float, ...]
) -> None:
    scale, _, _, _, dx, dy = matrix
    rect = _rectangle(annotation.get("/Rect"))
    if rect is not None:
        annotation[NameObject("/Rect")] = RectangleObject(
            [
                rect[0] * scale + dx,
                rect[1] * scale + dy,
                rect[2] * scale + dx,
                rect[3] * scale + dy,
            ]
        )
    points = annotation.get("/QuadPoints")
    if isinstance(points, ArrayObject):
        annotation[NameObject("/QuadPoints")] = ArrayObject(
            FloatObject(float(value) * scale + (dx if index % 2 == 0 else dy))
            for index, value in enumerate(points)
        )


def _wrap_contents(
    writer: PdfWriter, page: PageObject, *, before: str, after: str
) -> None:
    """Put `before` ahead of the page's content and `after` behind it.

    The existing streams are kept as they are (not parsed or re-encoded);
    two small streams are added around them.
    """
    contents = page.get("/Contents")
    existing: list[Any] = []
    if isinstance(contents, IndirectObject):
        resolved = contents.get_object()
        existing = (
            list(list.__iter__(resolved))
            if isinstance(resolved, ArrayObject)
            else [contents]
        )
    elif isinstance(contents, ArrayObject):
        existing = list(list.__iter__(contents))
    elif isinstance(contents, StreamObject):
        existing = [writer._add_object(contents)]
    page[NameObject("/Contents")] = ArrayObject(
        [_stream_reference(writer, before), *existing, _stream_reference(writer, after)]
    )


def _stream_reference(writer: PdfWriter, text: str) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(text.encode("ascii"))
    return writer._add_object(stream)


def _page_xobjects(writer: PdfWriter, page: PageObject) -> DictionaryObject:
    """The page's /Resources /XObject dictionary, created if absent.

    Resources may be inherited from a /Pages node (PDF 32000-1 7.7.3.4); they
    are copied onto the page first so other pages are not changed.
    """
    resources = page.get("/Resources")
    node: Any = page
    for _ in range(64):  # the page tree's depth; a /Parent cycle must not hang
        parent = node.get("/Parent")
        if resources is not None or not isinstance(parent, DictionaryObject):
            break
        node = parent
        resources = node.get("/Resources")
    resources = (
        DictionaryObject(resources.get_object())
        if resources is not None
        else DictionaryObject()
    )
    xobjects = resources.get("/XObject")
    xobjects = (
        DictionaryObject(xobjects.get_object())
        if xobjects is not None
        else DictionaryObject()
    )
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    return xobjects


def _as_reference(writer: PdfWriter, stream: StreamObject) -> IndirectObject:
    reference = getattr(stream, "indirect_reference", None)
    if isinstance(reference, IndirectObject) and reference.pdf is writer:
        return reference
    return writer._add_object(stream)


def _rectangle(value: Any) -> tuple[float, float, float, float] | None:
    value = value.get_object() if value is not None else None
    if not isinstance(value, ArrayObject) or len(value) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(item) for item in value)
    except (TypeError, ValueError):
        return None
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _number(value: float) -> str:
    # Six decimals: matrix entries multiply coordinates of up to ~15,000 units.
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _inches(points: float) -> str:
    return f"{points / 72:.1f}".removesuffix(".0")


def _flatten_description(counts: _Counts) -> str:
    if not counts.fields:
        return (
            "Removed an empty fillable-form definition (it had no fields on any page)."
        )
    number = len(counts.fields)
    fields = (
        "1 fillable form field" if number == 1 else f"{number} fillable form fields"
    )
    return (
        f"Flattened {fields} into ordinary page content; the filled-in values "
        "still show but can no longer be edited."
    )


def _shrink_description(sizes: list[tuple[int, float, float]]) -> str:
    parts = [
        f"page {number} ({_inches(width)} \u00d7 {_inches(height)} in)"
        for number, width, height in sizes[:10]
    ]
    if len(sizes) > 10:
        parts.append(f"{len(sizes) - 10} more pages")
    listed = (
        parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    )
    return (
        f"Reduced {listed} to fit letter-size paper (8.5 \u00d7 11 in), keeping "
        "the proportions of the page."
    )
