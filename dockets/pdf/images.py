"""Read the size an image codec declares in its own header, without decoding it.

A viewer allocates the bitmap a JPEG, JPEG 2000 or JBIG2 header declares before
it reads a byte of image data, whatever the PDF's /Width and /Height say, so
validation.py bounds these sizes too. Each reader here looks at headers only,
in pure Python, with a cap on how far it walks; malformed data yields what
could be read (validation decides what that means).

References: JPEG (ITU T.81 B.2.2, SOF), JPEG 2000 (ITU T.800 A.5.1 SIZ and
I.5.3.1 ihdr), JBIG2 (ITU T.88 7.2 segment header, 7.4.1 region segment
information, 7.4.8 page information, 7.4.2.1 symbol dictionary, 7.4.4 pattern
dictionary).

Pure: no pypdf, no Django.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

# Segments of a JBIG2 stream looked at; a real page has a few dozen.
MAX_JBIG2_SEGMENTS = 100_000
# Markers of a JPEG looked at before its frame header.
MAX_JPEG_MARKERS = 10_000
# Boxes of a JP2 file looked at before its codestream.
MAX_JP2_BOXES = 1_000

_JBIG2_PAGE_INFO = 48
_JBIG2_SYMBOL_DICTIONARY = 0
_JBIG2_PATTERN_DICTIONARY = 16
# Segment types that begin with region segment information (width, height).
_JBIG2_REGIONS = frozenset({4, 6, 7, 20, 22, 23, 36, 38, 39, 40, 42, 43})
_UNKNOWN = 0xFFFFFFFF
# JPEG start-of-frame markers (all but DHT C4, JPG C8 and DAC CC).
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD9)})


@dataclass(frozen=True)
class Declared:
    """A size found in a codec header: pixels wide and high, colour components;
    for a JBIG2 symbol dictionary, the number of symbols it declares."""

    width: int
    height: int
    components: int = 1
    symbols: int = 0


def jpeg_size(data: bytes) -> Declared | None:
    """The frame size of a baseline or progressive JPEG, or None if none is found."""
    if not data.startswith(b"\xff\xd8"):
        return None
    at = 2
    for _ in range(MAX_JPEG_MARKERS):
        if at + 4 > len(data) or data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in _JPEG_STANDALONE:
            at += 2
            continue
        if marker in _JPEG_FRAMES:
            if at + 10 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return Declared(width, height, data[at + 9])
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length
    return None


def jpx_sizes(data: bytes) -> list[Declared]:
    """Sizes a JPEG 2000 stream declares: the JP2 image header and the SIZ marker."""
    found: list[Declared] = []
    codestream = data
    if data[4:8] == b"jP  ":
        codestream = b""
        for kind, body in _jp2_boxes(data):
            if kind == b"jp2h":
                for inner_kind, inner in _jp2_boxes(body):
                    if inner_kind == b"ihdr" and len(inner) >= 10:
                        height, width, components = struct.unpack(">IIH", inner[:10])
                        found.append(Declared(width, height, components))
            elif kind == b"jp2c":
                codestream = body
                break
    if codestream[:4] == b"\xff\x4f\xff\x51" and len(codestream) >= 42:
        x, y, x0, y0 = struct.unpack(">IIII", codestream[8:24])
        (components,) = struct.unpack(">H", codestream[40:42])
        found.append(Declared(max(x - x0, 0), max(y - y0, 0), components))
    return found


def _jp2_boxes(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    at = 0
    for _ in range(MAX_JP2_BOXES):
        if at + 8 > len(data):
            return
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        header = 8
        if length == 1:
            if at + 16 > len(data):
                return
            (length,) = struct.unpack(">Q", data[at + 8 : at + 16])
            header = 16
        elif length == 0:
            length = len(data) - at
        if length < header:
            return
        yield kind, data[at + header : at + length]
        at += length


def jbig2_sizes(data: bytes) -> Iterator[Declared]:
    """Every bitmap size a JBIG2 stream (embedded format, as in PDF) declares.

    Page information, every region, each pattern dictionary's collective bitmap,
    and each symbol dictionary's symbol count. A page of unknown height (striped) declares its width only.
    Raises ValueError past MAX_JBIG2_SEGMENTS segments.
    """
    at = 0
    for _ in range(MAX_JBIG2_SEGMENTS):
        if at + 11 > len(data):
            return
        number, flags, referred = struct.unpack(">IBB", data[at : at + 6])
        kind = flags & 0x3F
        at += 5
        count = referred >> 5
        if count == 7:
            if at + 4 > len(data):
                return
            count = struct.unpack(">I", data[at : at + 4])[0] & 0x1FFFFFFF
            at += 4 + (count + 8) // 8
        else:
            at += 1
        at += count * (1 if number <= 256 else 2 if number <= 65536 else 4)
        at += 4 if flags & 0x40 else 1
        if at + 4 > len(data):
            return
        (length,) = struct.unpack(">I", data[at : at + 4])
        at += 4
        body = data[at : at + 32]
        yield from _jbig2_segment_sizes(kind, body)
        if length == _UNKNOWN:
            return  # an immediate generic region of unknown length: the last one read
        at += length
    raise ValueError("too many JBIG2 segments")


def _jbig2_segment_sizes(kind: int, body: bytes) -> Iterator[Declared]:
    if (kind == _JBIG2_PAGE_INFO or kind in _JBIG2_REGIONS) and len(body) >= 8:
        width, height = struct.unpack(">II", body[:8])
        yield Declared(width, 1 if height == _UNKNOWN else height)
    elif kind == _JBIG2_PATTERN_DICTIONARY and len(body) >= 7:
        cell_width, cell_height, gray_max = struct.unpack(">BBI", body[1:7])
        yield Declared((gray_max + 1) * cell_width, cell_height)
    elif kind == _JBIG2_SYMBOL_DICTIONARY and len(body) >= 2:
        (flags,) = struct.unpack(">H", body[:2])
        huffman, refine = flags & 1, (flags >> 1) & 1
        template, refine_template = (flags >> 10) & 3, (flags >> 12) & 1
        at = 2 + (0 if huffman else 8 if template == 0 else 2)
        at += 4 if refine and refine_template == 0 else 0
        if len(body) >= at + 8:
            exported, new = struct.unpack(">II", body[at : at + 8])
            yield Declared(0, 0, symbols=max(exported, new))
