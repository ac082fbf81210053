"""Decide whether an uploaded file is a PDF the court can accept.

Threat model: every upload is hostile until this module says otherwise. A filed
document is opened later by clerks, judges, trustees and the public, so the
checks protect *them* as much as the server:

- Active content that would run when the document is opened: JavaScript
  (including XFA form scripts), launch actions, embedded files, audio/video.
  NextGen CM/ECF refuses all of these (cmecf.md section 4.1).
- Actions that fire without a click (/OpenAction, /AA) other than opening
  at a page, and actions that reach outside the document (another file, a
  network path, form submission): see actions.py. These are repairable.
- Files that are not what they claim: renamed Word files, and polyglots that
  are a PDF and an HTML page or ZIP archive at once. Type is decided by
  content, never by file name.
- Resource exhaustion while checking: decompression bombs, objects nested
  thousands deep, page trees that expand exponentially, parser paths that are
  quadratic in the object count (pypdf#3676, #808).

Defences here: objects and page trees are walked iteratively with caps;
stream data is decoded only under pypdf's output limits and a total budget;
image data is never decoded, but the size each image declares (in its
dictionary and in its codec's own header: images.py) is bounded, and a
non-image stream with an image codec is refused; text extraction is capped by
pages, characters, time and the decoded size of each page's text-bearing
streams. This module still runs inside its caller and trusts its parsers, so
production code calls it through `sandbox.validate_upload`, which adds CPU,
memory and wall-clock limits in a child process.

Three parsers, each for what it does best (bench P2: parsing every object with
pypdf cost 0.7-0.8x of a bare pypdf read+write; qpdf parses a 2,000-page file
in a few hundredths of a second):
- pypdf opens the file strictly (header, xref table, trailer, encryption),
  so every file accepted is one the stamping and repair code (pypdf) reads;
- qpdf (pikepdf) parses the objects the walk inspects, with its xref
  recovery off; any repair or guess it reports (an unknown token, an object
  not where the xref table says) refuses the file as damaged, so a file is
  accepted only if both parsers read it the same way without guessing;
- the walk itself and actions.py see those objects as pypdf types (see
  _QpdfObjects), and stream data is decoded only by pypdf's filters under the
  limits below;
- pdfium (pypdfium2) reads the text of the first pages for the warnings, once
  both parsers accepted the file and the walk bounded every stream (bench P2
  and the load run: pypdf's extraction in Python was three quarters of the
  cost of checking a 10-page filing; pdfium is about seven times faster).

Pure: no Django and no database.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import re
import struct
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any, TypeGuard, cast

import pikepdf
from pypdf import PageObject, PdfReader, apply_configuration
from pypdf._protocols import PdfCommonDocProtocol
from pypdf.errors import LimitReachedError
from pypdf.filters import decode_stream_data
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from . import actions, images
from .findings import Finding, find_issues, visible_chars

logger = logging.getLogger(__name__)

# Legal paper (8.5 x 14 in) in points. Pages up to this size are accepted, so
# letter and A4 pass in either orientation; anything bigger is refused.
LEGAL_SHORT_SIDE_PT = 612.0
LEGAL_LONG_SIDE_PT = 1008.0
# 1/8 inch: scanners and "print to PDF" drivers round page sizes a little.
PAGE_SIZE_TOLERANCE_PT = 9.0

# Readers (Acrobat, pdf.js) accept the %PDF- header anywhere in the first 1 KiB.
HEADER_WINDOW = 1024
# Bytes allowed after the last %%EOF. Writers append line ends or NUL padding;
# more than this is another file riding along (see make_polyglot_pdf).
TRAILING_BYTES_LIMIT = 256

# A bankruptcy filing rarely exceeds a few thousand pages, and checking 2,000
# pages takes about a second; this keeps the worst case inside the time budget.
MAX_PAGES = 10_000
MAX_PAGE_TREE_DEPTH = 64
# Distinct objects (indirect, or containers inside them) the walk may visit. A
# 2,000-page text filing has about 30,000.
MAX_OBJECTS = 1_000_000
# Decoded size allowed for one non-image stream (page content, fonts, forms).
# Real content streams are kilobytes to a few megabytes; a bomb is gigabytes.
MAX_STREAM_DECODED_BYTES = 64 << 20
# Pixels allowed in one image (600 dpi 17 x 22 in is ~135 million); a viewer
# allocates width x height before reading a byte of the image.
MAX_IMAGE_PIXELS = 300_000_000
# Samples (pixels x colour components) in one image: the 300-megapixel cap in
# CMYK. A 600 dpi letter page in colour is about 100 million.
MAX_IMAGE_SAMPLES = 4 * MAX_IMAGE_PIXELS
# Symbols one JBIG2 symbol dictionary may declare; a dense page uses a few
# thousand (each is a glyph-sized bitmap the decoder keeps).
MAX_JBIG2_SYMBOLS = 1_000_000

# Text extraction feeds the warnings in findings.py only, so it stops early:
# validation runs while the filer waits, and pypdf needs ~0.1 s for a dense page.
TEXT_MAX_PAGES = 30
TEXT_MAX_CHARS = 200_000
TEXT_MAX_SECONDS = 1.0
TEXT_MAX_STREAM_DECODED_BYTES = 8 << 20

CANNOT_PROCESS_MESSAGE = (
    "This file could not be processed within the court's limits (it may be "
    "damaged or unusually complex). Print it to a new PDF and try again."
)

# Filters for image codecs: their data is never decoded here.
_IMAGE_FILTERS = frozenset(
    {"/DCTDecode", "/DCT", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/CCF"}
)
# Worst-case decoded/encoded ratio of each filter. Deflate tops out near
# 1032:1 (258-byte matches at about 2 bits each); LZW's 12-bit codes can each
# repeat a string of up to ~4,000 bytes; run-length turns 2 bytes into 128;
# ASCII85's "z" turns 1 byte into 4. Brotli has no useful bound, so it is
# absent and its streams are always decoded.
_MAX_EXPANSION = {
    "/FlateDecode": 1100.0,
    "/Fl": 1100.0,
    "/LZWDecode": 3000.0,
    "/LZW": 3000.0,
    "/RunLengthDecode": 64.0,
    "/RL": 64.0,
    "/ASCII85Decode": 4.0,
    "/A85": 4.0,
    "/ASCIIHexDecode": 1.0,
    "/AHx": 1.0,
}
_DECODABLE_FILTERS = frozenset(_MAX_EXPANSION) | {"/BrotliDecode"}
# Streams pypdf already decoded (under the same limits) to read the file.
_STRUCTURE_STREAM_TYPES = frozenset({"/XRef", "/ObjStm"})
# A trailer's /Encrypt entry: a reference or a dictionary.
_ENCRYPT_ENTRY = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_MEDIA_SUBTYPES = frozenset({"/Sound", "/Movie", "/RichMedia", "/Screen"})
_MEDIA_ACTIONS = frozenset({"/Sound", "/Movie", "/Rendition", "/RichMediaExecute"})
# Refusals the safe repair (repair.py) fixes; the filer is offered its copy.
REPAIRABLE_CODES = frozenset({"page_size", "auto_action", "unsafe_action"})


@dataclass(frozen=True)
class PdfProblem:
    """A reason the court refuses the file; `message` tells the filer what to do."""

    code: str
    message: str


@dataclass(frozen=True)
class PdfAnalysis:
    """What validation learned about one file.

    `problems` are refusals (empty means acceptable); `findings` are warnings.
    `sha512` is the hex digest of the exact bytes checked, or "" when the file
    was refused for size before it was read.
    """

    problems: tuple[PdfProblem, ...]
    findings: tuple[Finding, ...]
    page_count: int
    size: int
    sha512: str
    has_form_fields: bool
    oversized_pages: tuple[int, ...]
    text_chars: int

    @property
    def ok(self) -> bool:
        return not self.problems


class _Refused(Exception):
    """Stop the analysis with one problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.problem = PdfProblem(code, message)


def analyze_pdf(
    path: str | os.PathLike[str],
    *,
    max_bytes: int,
    debtor_names: Sequence[str] = (),
    needs_signature: bool = True,
) -> PdfAnalysis:
    """Check the file at `path` against the court's PDF rules.

    Never raises for a bad file: every refusal is a PdfProblem. MemoryError is
    the exception, so a memory limit set by the caller still stops it.
    Runs in this process with no CPU or memory limit; hostile uploads go
    through `sandbox.validate_upload` instead.
    """
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            return too_large_analysis(size, max_bytes)
        # One byte past the size, to see whether the file grew since fstat
        # (asking for the limit would allocate the whole limit for every file);
        # if it did, read on up to one byte past the limit.
        data = handle.read(size + 1)
        if len(data) > size:
            data += handle.read(max_bytes + 1 - len(data))
    size = len(data)
    if size > max_bytes:
        return too_large_analysis(size, max_bytes)
    sha512 = hashlib.sha512(data).hexdigest()
    try:
        return _analyze_bytes(
            data,
            sha512=sha512,
            debtor_names=debtor_names,
            needs_signature=needs_signature,
        )
    except _Refused as refused:
        return _refusal(size, sha512, refused.problem)


def _analyze_bytes(
    data: bytes, *, sha512: str, debtor_names: Sequence[str], needs_signature: bool
) -> PdfAnalysis:
    _check_file_type(data)
    with apply_configuration(**reading_limits(len(data))):
        reader = _open(data)
        if reader.is_encrypted:
            raise _Refused("encrypted", _ENCRYPTED)
        _bound_object_streams(reader)
        with _open_objects(data) as objects:
            return _analyze_objects(
                objects,
                data=data,
                sha512=sha512,
                debtor_names=debtor_names,
                needs_signature=needs_signature,
            )


def _analyze_objects(
    objects: _QpdfObjects,
    *,
    data: bytes,
    sha512: str,
    debtor_names: Sequence[str],
    needs_signature: bool,
) -> PdfAnalysis:
    try:
        # The page tree first: it is the cheap way to fail a file that
        # claims a billion pages.
        pages = _page_leaves(objects)
        page_count = len(pages)
        content = _scan_objects(objects)
        if objects.qpdf_page_count() != page_count:
            # qpdf and the walk above read the tree differently: a
            # malformed tree that viewers may show differently too.
            raise _Refused("damaged", _DAMAGED)
        if page_count == 0:
            raise _Refused("empty", _EMPTY_NO_PAGES)
        for page in pages:
            _check_page_contents(page)
            _check_page_inline_images(page)
        oversized = _oversized_pages(pages)
        objects.refuse_if_repaired()
    except _Refused:
        raise
    except MemoryError:
        raise
    except LimitReachedError as error:
        logger.info("PDF exceeded a pypdf limit: %.200s", error)
        raise _Refused("cannot_process", CANNOT_PROCESS_MESSAGE) from error
    except Exception as error:
        logger.info("PDF damaged: %s: %.200s", type(error).__name__, error)
        raise _Refused("damaged", _DAMAGED) from error

    problems = _content_problems(content)
    if oversized:
        problems.append(PdfProblem("page_size", _page_size_message(oversized)))

    findings: list[Finding] = []
    text_chars = 0
    if all(problem.code in REPAIRABLE_CODES for problem in problems):
        texts = _extract_text(data, pages)
        text_chars = sum(visible_chars(text) for text in texts)
        findings = find_issues(
            texts,
            page_count=page_count,
            debtor_names=debtor_names,
            needs_signature=needs_signature,
        )

    return PdfAnalysis(
        problems=tuple(problems),
        findings=tuple(findings),
        page_count=page_count,
        size=len(data),
        sha512=sha512,
        has_form_fields=content.form_fields,
        oversized_pages=tuple(oversized),
        text_chars=text_chars,
    )


def _check_file_type(data: bytes) -> None:
    """Refuse anything that is not plainly a PDF, judging only by content."""
    if not data:
        raise _Refused("empty", _EMPTY_FILE)
    header_at = data.find(b"%PDF-", 0, HEADER_WINDOW + len(b"%PDF-") - 1)
    if header_at < 0 or b"obj" not in data:
        raise _Refused("not_pdf", _NOT_PDF)
    if header_at > 0:
        # Readers tolerate a prefix, which is what makes HTML/PDF and ZIP/PDF
        # polyglots possible; a file printed to PDF never has one.
        raise _Refused("not_pdf", _NOT_PDF_PREFIX)
    eof_at = data.rfind(b"%%EOF")
    if eof_at >= 0:
        tail = data[eof_at + len(b"%%EOF") :].strip(b"\x00\t\n\r\f ")
        lowered = tail[:4096].lower()
        if (
            len(tail) > TRAILING_BYTES_LIMIT
            or b"<script" in lowered
            or b"<html" in lowered
        ):
            raise _Refused("not_pdf", _NOT_PDF_TRAILER)
    if _has_zip_directory(data):
        raise _Refused("not_pdf", _NOT_PDF_TRAILER)


def _has_zip_directory(data: bytes) -> bool:
    """True if a ZIP reader would find an archive in `data`.

    ZIP readers look for the end-of-central-directory record in the last
    65,557 bytes (22-byte record plus a comment of up to 65,535 bytes), then
    follow its offset to the central directory. Both must line up, so four
    random bytes in a compressed stream are not enough to trigger this.
    """
    window_start = max(0, len(data) - 65_557)
    at = data.find(b"PK\x05\x06", window_start)
    while at >= 0:
        record = data[at : at + 22]
        if len(record) == 22:
            directory_size, directory_offset = struct.unpack("<II", record[12:20])
            # Appended archives keep offsets relative to their own start, so
            # also accept a directory that ends right where this record begins.
            for start in (directory_offset, at - directory_size):
                if 0 <= start < len(data) and data[start : start + 4] == b"PK\x01\x02":
                    return True
        at = data.find(b"PK\x05\x06", at + 1)
    return False


def reading_limits(file_size: int) -> dict[str, Any]:
    """pypdf Configuration overrides for reading an untrusted file."""
    return {
        "zlib_maximum_output_length": MAX_STREAM_DECODED_BYTES,
        "lzw_maximum_output_length": MAX_STREAM_DECODED_BYTES,
        "run_length_maximum_output_length": MAX_STREAM_DECODED_BYTES,
        "brotli_maximum_output_length": MAX_STREAM_DECODED_BYTES,
        "array_based_stream_maximum_output_length": MAX_STREAM_DECODED_BYTES,
        "jbig2_maximum_output_length": MAX_STREAM_DECODED_BYTES,
        "stream_decoding_work_maximum_length": 4 * MAX_STREAM_DECODED_BYTES,
        # Byte-by-byte recovery of a corrupt Flate stream runs in Python; the
        # default 5 MB allowance costs seconds per stream.
        "zlib_maximum_recovery_input_length": 64 << 10,
        # A stream cannot be longer than the file that holds it.
        "maximum_declared_stream_length": max(file_size, 1),
        "page_tree_maximum_depth": MAX_PAGE_TREE_DEPTH,
        # Never run an external decoder on an untrusted file.
        "jbig2dec_binary": None,
        "xform_maximum_invocations_per_extraction": 500,
        "disable_legacy_handling": True,
    }


def _open(data: bytes) -> PdfReader:
    try:
        # strict=True: pypdf's lenient mode silently rebuilds broken xref
        # tables and truncated files, which can drop pages from a filing.
        return PdfReader(BytesIO(data), strict=True)
    except MemoryError:
        raise
    except LimitReachedError as error:
        logger.info("PDF exceeded a pypdf limit while opening: %.200s", error)
        raise _Refused("cannot_process", CANNOT_PROCESS_MESSAGE) from error
    except Exception as error:
        logger.info("PDF unreadable: %s: %.200s", type(error).__name__, error)
        if _ENCRYPT_ENTRY.search(data):
            # pypdf reads only the standard password handler; a file locked
            # with certificates (/Adobe.PubSec) or a custom handler lands here.
            raise _Refused("encrypted", _ENCRYPTED) from error
        raise _Refused("damaged", _DAMAGED) from error


def _bound_object_streams(reader: PdfReader) -> None:
    """Refuse an object stream that decodes past the cap, before qpdf reads it.

    qpdf inflates an object stream whole to read the objects in it, with no
    output limit of its own; pypdf measures each one first under the limits.
    """
    try:
        numbers = {int(where[0]) for where in reader.xref_objStm.values()}
        for number in sorted(numbers):
            stream = reader.get_object(number)
            if (
                isinstance(stream, StreamObject)
                and _decoded_size(stream) > MAX_STREAM_DECODED_BYTES
            ):
                raise _Refused("cannot_process", CANNOT_PROCESS_MESSAGE)
    except (_Refused, MemoryError):
        raise
    except LimitReachedError as error:
        raise _Refused("cannot_process", CANNOT_PROCESS_MESSAGE) from error
    except Exception as error:
        logger.info("PDF object stream unreadable: %.200s", error)
        raise _Refused("damaged", _DAMAGED) from error


@contextlib.contextmanager
def _open_objects(data: bytes) -> Iterator[_QpdfObjects]:
    """Parse `data` with qpdf (pikepdf) for the object walk.

    pypdf has already opened the file (strict), so a file qpdf cannot open
    without repairing it is one the two parsers disagree about: damaged.
    """
    try:
        pdf = pikepdf.open(
            BytesIO(data),
            # No silent rebuild of a broken xref table (pypdf's strict=True
            # refuses those too), and the page tree is read as written.
            attempt_recovery=False,
            inherit_page_attributes=False,
        )
    except MemoryError:
        raise
    except Exception as error:
        logger.info("PDF unreadable by qpdf: %s: %.200s", type(error).__name__, error)
        raise _Refused("damaged", _DAMAGED) from error
    try:
        if pdf.is_encrypted:
            raise _Refused("encrypted", _ENCRYPTED)
        yield _QpdfObjects(pdf)
    finally:
        pdf.close()


_MISSING = object()


class _LazyData:
    """Raw (still encoded) stream bytes copied out of qpdf only when the walk
    first looks at them."""

    _source: pikepdf.Stream
    _raw: bytes | None

    @property
    def _data(self) -> bytes:
        if self._raw is None:
            self._raw = self._source.read_raw_bytes()
        return self._raw

    @_data.setter
    def _data(self, value: bytes) -> None:
        self._raw = value


class _QpdfStream(_LazyData, DecodedStreamObject):
    """An unfiltered stream (pypdf reads those as DecodedStreamObject)."""

    def __init__(self, source: pikepdf.Stream) -> None:
        self._source = source
        super().__init__()
        self._raw = None


class _QpdfEncodedStream(_LazyData, EncodedStreamObject):
    """A filtered stream: pypdf's get_data decodes it under the set limits."""

    def __init__(self, source: pikepdf.Stream) -> None:
        self._source = source
        super().__init__()
        self._raw = None


class _QpdfObjects:
    """The file's objects as qpdf parsed them, handed to the walk as pypdf objects.

    qpdf (C++) does the parsing, which is where pypdf spends its time; each
    object is converted once, on first use, through qpdf's JSON form (names
    arrive with #xx escapes decoded, a reference to a missing object arrives
    as null), so the walk, actions.py and pypdf's text extraction read the
    same pypdf types as before. Stream data stays in qpdf until needed and is
    decoded by pypdf's filters under the same output limits.
    """

    strict = True

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self._cache: dict[tuple[int, int], Any] = {}
        # Names (and, in `_value`, references) by their JSON text.
        self._names: dict[str, Any] = {}
        self._warnings: list[str] = []
        # One decoder for every object (json.loads would build one per call).
        self._decoder = json.JSONDecoder(object_hook=self._dictionary)
        self.trailer = self._convert(pdf.trailer)

    def get_object(self, reference: IndirectObject | int) -> Any:
        """The object `reference` names (pypdf calls this to resolve one); None if missing."""
        if isinstance(reference, IndirectObject):
            key = (reference.idnum, reference.generation)
        else:
            key = (int(reference), 0)
        value = self._cache.get(key, _MISSING)
        if value is _MISSING:
            value = self._cache[key] = self._convert(self.pdf.get_object(key))
        return value

    def references(self) -> list[IndirectObject]:
        """A reference to every object in the file's cross-reference data."""
        return [
            IndirectObject(obj.objgen[0], obj.objgen[1], self)
            for obj in self.pdf.objects
            if isinstance(obj, pikepdf.Object) and obj.objgen != (0, 0)
        ]

    def qpdf_page_count(self) -> int:
        """The number of pages qpdf's own reading of the page tree finds.

        qpdf fills in what a page lacks (an empty /Resources) while it reads
        the tree; those notes are not damage, so they are set aside.
        """
        # qpdf hands each warning over once (getWarnings clears its list).
        self._warnings += self.pdf.get_warnings()
        count = len(self.pdf.pages)
        self.pdf.get_warnings()
        return count

    def refuse_if_repaired(self) -> None:
        """Refuse a file qpdf had to repair or guess about while reading it
        (a token it did not know, an object not where the xref table says)."""
        self._warnings += self.pdf.get_warnings()
        if self._warnings:
            logger.info("PDF damaged: qpdf: %.200s", self._warnings[0])
            raise _Refused("damaged", _DAMAGED)

    def _convert(self, obj: Any) -> Any:
        if obj is None:
            return None
        if isinstance(obj, pikepdf.Object):
            value = self._decoder.decode(obj.to_json(True, 2).decode())
            value = self._value(value)
            if obj._type_code != pikepdf.ObjectType.stream:
                return value
            source = cast(pikepdf.Stream, obj)  # its type code says stream
            stream: StreamObject = (
                _QpdfEncodedStream(source)
                if "/Filter" in value
                else _QpdfStream(source)
            )
            stream.update(value)
            return stream
        if isinstance(obj, bool):
            return BooleanObject(obj)
        if isinstance(obj, int):
            return NumberObject(obj)
        if isinstance(obj, Decimal):
            return FloatObject(obj)
        return None

    def _dictionary(self, entries: dict[str, Any]) -> DictionaryObject:
        """A pypdf dictionary for one dictionary of qpdf's JSON (schema 2);
        json.loads hands over the innermost first."""
        result = DictionaryObject()
        names = self._names
        convert = self._value
        for key, item in entries.items():
            name = names.get(key)
            if name is None:
                name = names[key] = NameObject(key.removeprefix("n:"))
            dict.__setitem__(result, name, convert(item))
        return result

    def _value(self, value: Any) -> Any:
        """A pypdf object for one value of qpdf's JSON (schema 2) that is not
        a dictionary (those are converted already, by `_dictionary`).

        Built with the base types' constructors: pypdf's own checks are for
        text it parses, and these values come from qpdf already parsed.
        """
        kind = type(value)
        if kind is str:
            # Names and references recur (every page names its parent, its
            # fonts, /Type /Page): each is built once per file and shared, as
            # nothing here changes them.
            atom = self._names.get(value)
            if atom is not None:
                return atom
            if value[:1] == "/":
                atom = self._names[value] = NameObject(value)
                return atom
            if value.endswith(" R"):
                number, _, generation = value[:-2].partition(" ")
                if number.isdigit() and generation.isdigit():
                    atom = IndirectObject(int(number), int(generation), self)
                    self._names[value] = atom
                    return atom
            if value.startswith("u:"):
                return TextStringObject(value[2:])
            if value.startswith("b:"):
                return ByteStringObject(bytes.fromhex(value[2:]))
            if value.startswith("n:"):
                return NameObject(value[2:])
            return NullObject()
        if kind is DictionaryObject:
            return value
        if kind is int:
            return int.__new__(NumberObject, value)
        if kind is list:
            result = ArrayObject()
            list.extend(result, [self._value(item) for item in value])
            return result
        if kind is float:
            return FloatObject(value)
        if kind is bool:
            return BooleanObject(value)
        return NullObject()


@dataclass
class _Content:
    """Active content found by the object walk."""

    javascript: bool = False
    xfa: bool = False
    launch: bool = False
    embedded_files: bool = False
    media: bool = False
    form_fields: bool = False
    refused_actions: list[actions.ActionFinding] = field(default_factory=list)


# What the walk follows: references and the containers that can hold them.
_CONTAINERS = (IndirectObject, DictionaryObject, ArrayObject)


def _scan_objects(objects: _QpdfObjects) -> _Content:
    """Visit every object once, iteratively, and note any active content.

    Starts from the trailer and also from every object in the xref table, so
    an object that no page points to is still seen. A reference to an object
    that does not exist is null (PDF 32000-1 7.3.10). Only dictionaries are
    inspected for active content; stream data is decoded just to measure it
    (bombs).
    """
    found = _Content()
    stack: list[Any] = [objects.trailer]
    stack += objects.references()
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise _Refused("cannot_process", CANNOT_PROCESS_MESSAGE)
        if isinstance(item, DictionaryObject):
            _inspect_dictionary(item, found)
            _inspect_actions(item, found)
            if isinstance(item, StreamObject):
                _measure_stream(item)
            stack += [
                value for value in dict.values(item) if isinstance(value, _CONTAINERS)
            ]
        elif isinstance(item, ArrayObject):
            stack += [
                value for value in list.__iter__(item) if isinstance(value, _CONTAINERS)
            ]

    found.refused_actions += actions.check_auto_action(
        dict.get(_catalog(objects), "/OpenAction")
    )
    acro_form = _resolve(dict.get(_catalog(objects), "/AcroForm"))
    if isinstance(acro_form, DictionaryObject):
        fields = _resolve(dict.get(acro_form, "/Fields"))
        if isinstance(fields, ArrayObject) and len(fields) > 0:
            found.form_fields = True
        if dict.get(acro_form, "/XFA") is not None:
            found.xfa = True
    return found


def _inspect_dictionary(item: DictionaryObject, found: _Content) -> None:
    # pypdf decodes #xx escapes in names, so /J#53 arrives here as /JS.
    keys = dict.keys(item)
    action = _name(dict.get(item, "/S"))
    subtype = _name(dict.get(item, "/Subtype"))
    # /JS holds an action's script; /JavaScript keys the document-level script
    # name tree (PDF 32000-1 12.6.4.16 and 7.7.4).
    if "/JS" in keys or "/JavaScript" in keys or action == "/JavaScript":
        found.javascript = True
    if action == "/Launch":
        found.launch = True
    if (
        "/EmbeddedFiles" in keys
        or "/EF" in keys
        or subtype == "/FileAttachment"
        or _name(dict.get(item, "/Type")) == "/EmbeddedFile"
    ):
        found.embedded_files = True
    if subtype in _MEDIA_SUBTYPES or action in _MEDIA_ACTIONS:
        found.media = True
    if subtype == "/Widget":
        found.form_fields = True


def _inspect_actions(item: DictionaryObject, found: _Content) -> None:
    """Note refused actions held by `item`: its /AA (auto) and /A (a click).

    The catalog's /OpenAction is checked after the walk. Actions reached only
    through another action's /Next are checked with the action that leads there.
    """
    if dict.__contains__(item, "/AA"):
        for raw in actions.auto_actions_of(item, is_catalog=False):
            found.refused_actions += actions.check_auto_action(raw)
    if dict.__contains__(item, "/A"):
        found.refused_actions += actions.check_click_action(dict.get(item, "/A"))


def _measure_stream(stream: StreamObject) -> None:
    """Refuse a stream that decodes to more than MAX_STREAM_DECODED_BYTES.

    Most streams are cleared without decoding: the decoded size can be no more
    than the raw size times each filter's worst-case expansion, so only a
    stream whose bound exceeds the cap is decoded (under pypdf's limits) to
    learn its real size. Images are not decoded at all: a viewer allocates
    what they declare, so their declared sizes are checked instead.
    """
    if _is_image(stream):
        _check_image(stream)
        return
    if any(name in _IMAGE_FILTERS for name in _filter_names(stream)):
        # Only images carry image-codec data; a page's content (or a font)
        # "compressed" as a JPEG is how a viewer is made to allocate a bitmap.
        raise _Refused("damaged", _DAMAGED)
    if _name(dict.get(stream, "/Type")) in _STRUCTURE_STREAM_TYPES:
        return
    if _decoded_bound(stream) > MAX_STREAM_DECODED_BYTES:
        _decoded_size(stream)
    if _name(dict.get(stream, "/Subtype")) == "/Form":
        _check_inline_images(stream)


def _is_image(stream: StreamObject) -> bool:
    """An image XObject; or, without /Subtype, a stream with a size (thumbnails
    and soft masks, which some writers leave untyped)."""
    subtype = _name(dict.get(stream, "/Subtype"))
    if subtype is not None:
        return subtype == "/Image"
    return dict.__contains__(stream, "/Width") and dict.__contains__(stream, "/Height")


def _check_image(stream: StreamObject) -> None:
    """Bound the bitmap a viewer allocates for this image, without decoding it.

    The declared width x height must be whole numbers (a real /Width is
    refused), x the colour components within MAX_IMAGE_SAMPLES; so must every
    size the codec's own header declares (JPEG frame, JPEG 2000 image header
    and SIZ marker, JBIG2 page, region and dictionary segments, including the
    shared /JBIG2Globals), and a CCITT fax's /Columns x rows.
    """
    width = _resolve(dict.get(stream, "/Width"))
    height = _resolve(dict.get(stream, "/Height"))
    if not (_is_count(width) and _is_count(height)) or width < 1 or height < 1:
        raise _Refused("damaged", _DAMAGED)
    _bound_image(width, height, _colour_components(stream))
    filters = _filter_names(stream)
    codec_at = next(
        (index for index, name in enumerate(filters) if name in _IMAGE_FILTERS), None
    )
    if codec_at is None:
        return
    codec = filters[codec_at]
    parms = _decode_parms(stream, codec_at)
    if codec in ("/CCITTFaxDecode", "/CCF"):
        columns = _resolve(dict.get(parms, "/Columns", 1728))
        rows = _resolve(dict.get(parms, "/Rows", 0))
        if not (_is_count(columns) and _is_count(rows)):
            raise _Refused("damaged", _DAMAGED)
        _bound_image(columns, max(rows, height), 1)
        return
    data = _codec_data(stream, filters[:codec_at])
    declared: list[images.Declared] = []
    if codec in ("/DCTDecode", "/DCT"):
        frame = images.jpeg_size(data)
        declared = [frame] if frame is not None else []
    elif codec == "/JPXDecode":
        declared = images.jpx_sizes(data)
        if not declared:
            raise _Refused("damaged", _DAMAGED)  # no size: cannot be bounded
    elif codec == "/JBIG2Decode":
        globals_stream = _resolve(dict.get(parms, "/JBIG2Globals"))
        sources = [data]
        if isinstance(globals_stream, StreamObject):
            sources.append(_codec_data(globals_stream, _filter_names(globals_stream)))
        try:
            declared = [
                size for source in sources for size in images.jbig2_sizes(source)
            ]
        except ValueError as error:
            raise _Refused("cannot_process", CANNOT_PROCESS_MESSAGE) from error
    for size in declared:
        if size.symbols > MAX_JBIG2_SYMBOLS:
            raise _Refused("image_too_large", _IMAGE_TOO_LARGE)
        _bound_image(size.width, size.height, max(size.components, 1))


def _bound_image(width: int, height: int, components: int) -> None:
    if width * height > MAX_IMAGE_PIXELS or width * height * components > (
        MAX_IMAGE_SAMPLES
    ):
        raise _Refused("image_too_large", _IMAGE_TOO_LARGE)


def _is_count(value: Any) -> TypeGuard[int]:
    """A whole number as PDF writes one (pypdf reads 10.0 as a real and refuses here)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


_COMPONENTS = {
    "/DeviceGray": 1,
    "/G": 1,
    "/CalGray": 1,
    "/DeviceRGB": 3,
    "/RGB": 3,
    "/CalRGB": 3,
    "/Lab": 3,
    "/DeviceCMYK": 4,
    "/CMYK": 4,
    "/Indexed": 1,
    "/I": 1,
    "/Separation": 1,
}


def _colour_components(stream: StreamObject) -> int:
    """Samples per pixel; 4 (the most a PDF colour space but DeviceN has) if unknown."""
    if dict.get(stream, "/ImageMask") is not None and _resolve(
        dict.get(stream, "/ImageMask")
    ):
        return 1
    space = _resolve(dict.get(stream, "/ColorSpace"))
    if isinstance(space, ArrayObject) and len(space) > 0:
        family = _name(space[0])
        if family == "/ICCBased" and len(space) > 1:
            profile = _resolve(space[1])
            count = (
                _resolve(dict.get(profile, "/N"))
                if isinstance(profile, DictionaryObject)
                else None
            )
            return count if _is_count(count) and 0 < count <= 32 else 4
        if family == "/DeviceN" and len(space) > 1:
            names = _resolve(space[1])
            return max(len(names), 1) if isinstance(names, ArrayObject) else 4
        return _COMPONENTS.get(family or "", 4)
    return _COMPONENTS.get(_name(space) or "", 4)


def _decode_parms(stream: StreamObject, index: int) -> DictionaryObject:
    parms = _resolve(dict.get(stream, "/DecodeParms", dict.get(stream, "/DP")))
    if isinstance(parms, ArrayObject):
        parms = _resolve(parms[index]) if index < len(parms) else None
    return parms if isinstance(parms, DictionaryObject) else DictionaryObject()


def _codec_data(stream: StreamObject, leading: list[str]) -> bytes:
    """The bytes an image codec reads: the raw data after any filters before it.

    Leading filters are decoded under the configured limits (a bomb is refused);
    a header that cannot be decoded reads as empty.
    """
    if not leading:
        return stream._data
    if any(name not in _DECODABLE_FILTERS for name in leading):
        raise _Refused("damaged", _DAMAGED)
    partial = StreamObject()
    partial._data = stream._data
    partial[NameObject("/Filter")] = ArrayObject(NameObject(name) for name in leading)
    parms = _resolve(dict.get(stream, "/DecodeParms", dict.get(stream, "/DP")))
    if isinstance(parms, ArrayObject):
        partial[NameObject("/DecodeParms")] = ArrayObject(list(parms)[: len(leading)])
    try:
        return decode_stream_data(partial)
    except LimitReachedError as error:
        raise _Refused("cannot_process", CANNOT_PROCESS_MESSAGE) from error
    except MemoryError:
        raise
    except Exception as error:
        logger.info("PDF image header undecodable: %.200s", error)
        return b""


def _decoded_bound(stream: StreamObject) -> float:
    """An upper bound on the decoded size of `stream`, without decoding it."""
    data = stream._data
    bound = float(len(data))
    for index, name in enumerate(_filter_names(stream)):
        if index == 0 and name in ("/ASCII85Decode", "/A85"):
            # Five characters make four bytes; only "z" makes four from one.
            # (reportlab writes every page as ASCII85 + Flate.)
            z = data.count(b"z")
            bound = 4.0 * z + 0.8 * (len(data) - z)
            continue
        bound *= _MAX_EXPANSION.get(name, 0 if name in _IMAGE_FILTERS else math.inf)
    return bound


def _decoded_size(stream: StreamObject) -> int:
    """Decode `stream` under the configured limits and return its size."""
    if any(name not in _DECODABLE_FILTERS for name in _filter_names(stream)):
        return 0  # image codecs, /Crypt or unknown filters: nothing to inflate
    try:
        # decode_stream_data does not cache the result on the object, so
        # memory is freed as soon as the size is known.
        return len(decode_stream_data(stream))
    except LimitReachedError as error:
        logger.info("PDF stream over decode limit: %.200s", error)
        raise _Refused("cannot_process", CANNOT_PROCESS_MESSAGE) from error
    except MemoryError:
        raise
    except Exception as error:
        # A corrupt stream shows as a blank area in a viewer; not a refusal.
        logger.info("PDF stream undecodable: %s: %.200s", type(error).__name__, error)
        return 0


def _check_page_contents(page: Any) -> None:
    """Refuse a page whose content streams together decode past the cap.

    Each stream was checked on its own by the object walk; a page that lists
    thousands of just-under-the-cap streams is the remaining bomb.
    """
    contents = _resolve(dict.get(page, "/Contents"))
    if not isinstance(contents, ArrayObject) or len(contents) < 2:
        return
    streams = [
        stream
        for stream in (_resolve(item) for item in list.__iter__(contents))
        if isinstance(stream, StreamObject)
    ]
    if sum(_decoded_bound(stream) for stream in streams) <= MAX_STREAM_DECODED_BYTES:
        return
    total = 0
    for stream in streams:
        total += _decoded_size(stream)
        if total > MAX_STREAM_DECODED_BYTES:
            raise _Refused("cannot_process", CANNOT_PROCESS_MESSAGE)


# An inline image (BI <dictionary> ID <data> EI) in a content stream, and the
# size entries of its dictionary (PDF 32000-1 8.9.7; abbreviations allowed).
_INLINE_IMAGE = re.compile(rb"(?<![^\s])BI\s(.{0,4096}?)(?<=\s)ID\s", re.DOTALL)
_INLINE_ENTRY = re.compile(rb"/(W|Width|H|Height|CS|ColorSpace|IM|ImageMask)\s*(\S+)")
_INLINE_COMPONENTS = {b"/G": 1, b"/DeviceGray": 1, b"/I": 1, b"/Indexed": 1}
_INLINE_COMPONENTS |= {b"/RGB": 3, b"/DeviceRGB": 3, b"/CMYK": 4, b"/DeviceCMYK": 4}


def _check_page_inline_images(page: Any) -> None:
    """Bound the inline images of each of the page's content streams."""
    contents = _resolve(dict.get(page, "/Contents"))
    streams = (
        [_resolve(item) for item in list.__iter__(contents)]
        if isinstance(contents, ArrayObject)
        else [contents]
    )
    for stream in streams:
        if isinstance(stream, StreamObject):
            _check_inline_images(stream)


def _check_inline_images(stream: StreamObject) -> None:
    """Refuse an inline image whose declared size is not a whole number or is
    over the image bounds. Its dictionary is read; its data is not decoded.

    Only unfiltered and plain Flate content streams are read (each was
    bounded by _measure_stream, and zlib stops at the same cap); one that
    cannot be inflated shows as a blank area in a viewer and is not refused.
    """
    filters = _filter_names(stream)
    try:
        if not filters:
            data = stream._data
        elif filters in (["/FlateDecode"], ["/Fl"]) and "/DecodeParms" not in stream:
            # Inflated directly (C speed): every page has a content stream.
            inflater = zlib.decompressobj()
            data = inflater.decompress(stream._data, MAX_STREAM_DECODED_BYTES)
        else:
            # Other chains (ASCII85 + Flate, as reportlab writes) would cost
            # about half a millisecond per page in pure Python: not read here.
            return
    except MemoryError:
        raise
    except Exception:
        return
    if b"ID" not in data:
        return
    for match in _INLINE_IMAGE.finditer(data):
        entries: dict[bytes, bytes] = dict(_INLINE_ENTRY.findall(match.group(1)))
        width = entries.get(b"W", entries.get(b"Width", b""))
        height = entries.get(b"H", entries.get(b"Height", b""))
        if not (width.isdigit() and height.isdigit()):
            raise _Refused("damaged", _DAMAGED)
        mask = entries.get(b"IM", entries.get(b"ImageMask", b"")) == b"true"
        space = entries.get(b"CS", entries.get(b"ColorSpace", b""))
        components = 1 if mask else _INLINE_COMPONENTS.get(space, 4)
        _bound_image(int(width), int(height), components)


def _filter_names(stream: StreamObject) -> list[str]:
    filters = _resolve(dict.get(stream, "/Filter"))
    if filters is None:
        return []
    if isinstance(filters, ArrayObject):
        return [_name(value) or "?" for value in list.__iter__(filters)]
    return [_name(filters) or "?"]


# Page attributes a page takes from its ancestors when it lacks them (7.7.3.4).
_INHERITABLE = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def _page_leaves(objects: _QpdfObjects) -> list[PageObject]:
    """The pages (leaves of the page tree) in order, walked without expanding it.

    A node reached twice means the tree is a graph (one node listed many
    times is how a tiny file claims a billion pages); PDF 32000-1 7.7.3.2
    requires each node to have exactly one parent. Each page carries the
    attributes it inherits, as pypdf's own page list does.
    """
    pages = dict.get(_catalog(objects), "/Pages")
    stack: list[tuple[Any, int, dict[str, Any]]] = [(pages, 0, {})]
    seen: set[tuple[int, int]] = set()
    leaves: list[PageObject] = []
    while stack:
        raw, depth, inherited = stack.pop()
        if isinstance(raw, IndirectObject):
            key = (raw.idnum, raw.generation)
            if key in seen:
                raise _Refused("damaged", _DAMAGED)
            seen.add(key)
        node = _resolve(raw)
        if not isinstance(node, DictionaryObject):
            raise _Refused("damaged", _DAMAGED)
        kind = _name(dict.get(node, "/Type"))
        kids = _resolve(dict.get(node, "/Kids"))
        if kind == "/Page" or (kind != "/Pages" and kids is None):
            if len(leaves) >= MAX_PAGES:
                raise _Refused("too_many_pages", _TOO_MANY_PAGES)
            # _QpdfObjects stands in for the PdfReader a page asks for its objects.
            owner = cast(PdfCommonDocProtocol, objects)
            page = PageObject(owner, raw if isinstance(raw, IndirectObject) else None)
            page.update(node)
            for name, value in inherited.items():
                if name not in page:
                    page[NameObject(name)] = value
            leaves.append(page)
            continue
        if not isinstance(kids, ArrayObject) or depth >= MAX_PAGE_TREE_DEPTH:
            raise _Refused("damaged", _DAMAGED)
        passed_on = inherited | {
            name: dict.get(node, name) for name in _INHERITABLE if name in node
        }
        # Reversed, so that the stack hands out the kids in document order.
        stack.extend(
            (kid, depth + 1, passed_on) for kid in reversed(list(list.__iter__(kids)))
        )
    return leaves


def _oversized_pages(pages: Sequence[Any]) -> list[int]:
    """1-based numbers of pages whose visible area is bigger than legal paper."""
    return [
        number
        for number, page in enumerate(pages, 1)
        if is_oversized(*page_size_points(page))
    ]


def is_oversized(width: float, height: float) -> bool:
    """True if a page of this size (in points, either orientation) exceeds legal."""
    short, long = sorted((width, height))
    return (
        short > LEGAL_SHORT_SIDE_PT + PAGE_SIZE_TOLERANCE_PT
        or long > LEGAL_LONG_SIDE_PT + PAGE_SIZE_TOLERANCE_PT
    )


def page_size_points(page: Any) -> tuple[float, float]:
    """Return the (width, height) a reader shows for `page`, in 1/72 inch.

    Uses the crop box (the visible area; it defaults to the media box) and
    the page's /UserUnit, ignoring rotation.
    """
    box = page.cropbox
    unit = _resolve(page.get("/UserUnit", 1))
    unit = float(unit) if isinstance(unit, int | float) and unit > 0 else 1.0
    return abs(float(box.width)) * unit, abs(float(box.height)) * unit


def _extract_text(data: bytes, pages: Sequence[PageObject]) -> list[str]:
    """Text of the first pages, stopping at the page, character or time cap.

    Read by pdfium (pypdfium2, C++; built without JavaScript or XFA), about
    seven times faster than pypdf's extraction in Python, which was most of
    the cost of checking a short filing. pdfium reads only files both strict
    parsers accepted and whose every stream the walk has bounded; it has no
    output limit of its own and parses a page whole, so `_text_reader` sends
    a page that draws form XObjects to pypdf (pdfium parses a form again each
    time it is drawn; pypdf bounds the invocations), and skips a page whose
    other text-bearing streams decode past TEXT_MAX_STREAM_DECODED_BYTES.
    Failures give "" for that page: text only feeds warnings, never refusals.
    """
    # Imported here: the web and Celery processes that only ask the sandbox
    # never load pdfium (the pool's child imports it before its first file).
    import pypdfium2

    texts: list[str] = []
    total = 0
    started = time.monotonic()
    document = None
    try:
        document = pypdfium2.PdfDocument(data)
    except MemoryError:
        raise
    except Exception as error:
        logger.info("PDF text unreadable: %s: %.200s", type(error).__name__, error)
    if document is not None and len(document) != len(pages):
        # pdfium reads the page tree otherwise than qpdf and the walk: its
        # page N need not be the page judged above, so pypdf reads them all.
        logger.info("PDF page tree read differently by pdfium")
        document.close()
        document = None
    try:
        count = min(len(pages), TEXT_MAX_PAGES)
        for index in range(count):
            if time.monotonic() - started > TEXT_MAX_SECONDS:
                break
            reader = _text_reader(pages[index]) if document is not None else "pypdf"
            if reader == "pdfium":
                text = _page_text(document, index)
            elif reader == "pypdf":
                text = _pypdf_page_text(pages[index])
            else:
                text = ""
            texts.append(text[: TEXT_MAX_CHARS - total])
            total += len(text)
            if total >= TEXT_MAX_CHARS:
                break
    finally:
        if document is not None:
            document.close()
    return texts


def _page_text(document: Any, index: int) -> str:
    """The text of one page as pdfium reads it (`document` a pypdfium2.PdfDocument)."""
    page = textpage = None
    try:
        page = document[index]
        textpage = page.get_textpage()
        # pdfium ends lines with CR LF and marks a hyphen it kept at a line
        # break as U+0002; the warnings read text as pypdf gives it.
        return textpage.get_text_range().replace("\r\n", "\n").replace("\x02", "-")
    except MemoryError:
        raise
    except Exception as error:
        logger.info("PDF text extraction failed: %.200s", error)
        return ""
    finally:
        if textpage is not None:
            textpage.close()
        if page is not None:
            page.close()


def _text_decode_limits() -> dict[str, Any]:
    """pypdf's decoding limits while text is read: no stream past the page's budget."""
    return {
        f"{codec}_maximum_output_length": TEXT_MAX_STREAM_DECODED_BYTES
        for codec in ("zlib", "lzw", "run_length", "brotli")
    }


def _pypdf_page_text(page: PageObject) -> str:
    """The text of one page as pypdf reads it, each stream decoded under
    TEXT_MAX_STREAM_DECODED_BYTES and at most 500 form invocations
    (reading_limits)."""
    try:
        with apply_configuration(**_text_decode_limits()):
            return page.extract_text() or ""
    except MemoryError:
        raise
    except Exception as error:
        logger.info("PDF text extraction failed: %.200s", error)
        return ""


# Form XObjects and Type3 fonts followed from one page to judge how to read
# its text; past this the page is not read for text.
_MAX_TEXT_FORMS = 500


def _text_reader(page: PageObject) -> str | None:
    """Who reads this page's text: "pdfium", "pypdf", or None (nobody).

    pdfium parses the page's content, each form XObject again every time it
    is drawn, and a Type3 glyph's procedure for every character code that
    uses it (patterns and annotations' appearances are not parsed for text).
    A page that can draw a form (from its content or from a glyph) goes to
    pypdf, which bounds form invocations as it did before pdfium read text.
    Otherwise the content and every glyph procedure (once per code that names
    it) must decode to at most TEXT_MAX_STREAM_DECODED_BYTES together, else
    the page is not read: one glyph stream named by every code would cost
    seconds of CPU for a file of a few kilobytes.
    """
    contents = _resolve(dict.get(page, "/Contents"))
    items = (
        list(list.__iter__(contents))
        if isinstance(contents, ArrayObject)
        else [contents]
    )
    streams = [s for s in map(_resolve, items) if isinstance(s, StreamObject)]
    seen: set[int] = set()
    pending = [_resolve(dict.get(page, "/Resources"))]
    while pending:
        resources = pending.pop()
        if not isinstance(resources, DictionaryObject):
            continue
        xobjects = _resolve(dict.get(resources, "/XObject"))
        if isinstance(xobjects, DictionaryObject):
            for value in dict.values(xobjects):
                xobject = _resolve(value)
                if (
                    isinstance(xobject, StreamObject)
                    and _name(dict.get(xobject, "/Subtype")) == "/Form"
                ):
                    return "pypdf"
        fonts = _resolve(dict.get(resources, "/Font"))
        if not isinstance(fonts, DictionaryObject):
            continue
        for value in dict.values(fonts):
            font = _resolve(value)
            if (
                not isinstance(font, DictionaryObject)
                or id(font) in seen
                or _name(dict.get(font, "/Subtype")) != "/Type3"
            ):
                continue
            seen.add(id(font))
            if len(seen) > _MAX_TEXT_FORMS:
                return None
            procedures = _resolve(dict.get(font, "/CharProcs"))
            if isinstance(procedures, DictionaryObject):
                # Every code is parsed, even codes that share one stream.
                streams += [
                    procedure
                    for procedure in map(_resolve, dict.values(procedures))
                    if isinstance(procedure, StreamObject)
                ]
            pending.append(_resolve(dict.get(font, "/Resources")))
    limit = TEXT_MAX_STREAM_DECODED_BYTES
    if sum(_decoded_bound(stream) for stream in streams) <= limit:
        return "pdfium"
    total = 0
    sizes: dict[int, int] = {}  # a stream named many times is decoded once
    for stream in streams:
        size = sizes.get(id(stream))
        if size is None:
            size = sizes[id(stream)] = _text_decoded_size(stream)
        total += size
        if total > limit:
            return None
    return "pdfium"


def _text_decoded_size(stream: StreamObject) -> int:
    """The decoded size of one stream, past TEXT_MAX_STREAM_DECODED_BYTES if it
    decodes past that; 0 if it cannot be decoded (pdfium draws nothing)."""
    if any(name not in _DECODABLE_FILTERS for name in _filter_names(stream)):
        return 0  # /Crypt or a filter no reader knows: nothing to parse
    try:
        with apply_configuration(**_text_decode_limits()):
            return len(decode_stream_data(stream))
    except LimitReachedError:
        return TEXT_MAX_STREAM_DECODED_BYTES + 1
    except MemoryError:
        raise
    except Exception:
        # pdfium's decoders recover more than pypdf's: count what it could inflate.
        return int(min(_decoded_bound(stream), TEXT_MAX_STREAM_DECODED_BYTES + 1))


def _content_problems(content: _Content) -> list[PdfProblem]:
    problems = []
    if content.xfa:
        problems.append(PdfProblem("javascript", _XFA))
    elif content.javascript:
        problems.append(PdfProblem("javascript", _JAVASCRIPT))
    if content.launch:
        problems.append(PdfProblem("launch", _LAUNCH))
    if content.embedded_files:
        problems.append(PdfProblem("embedded_files", _EMBEDDED_FILES))
    if content.media:
        problems.append(PdfProblem("media", _MEDIA))
    problems += [
        PdfProblem(code, message)
        for code, message in actions.describe_findings(content.refused_actions)
    ]
    return problems


def _catalog(objects: _QpdfObjects) -> DictionaryObject:
    root = _resolve(dict.get(objects.trailer, "/Root"))
    if not isinstance(root, DictionaryObject):
        raise _Refused("damaged", _DAMAGED)
    return root


def _resolve(value: PdfObject | None) -> Any:
    """Follow one indirect reference; a missing object is None (null)."""
    if isinstance(value, IndirectObject):
        return value.get_object()
    return value


def _name(value: PdfObject | None) -> str | None:
    """The name `value` is (following a reference), or None if it is not a name.

    The NameObject itself is returned (a str): copying it cost a tenth of the walk.
    """
    if type(value) is NameObject:
        return value
    value = _resolve(value)
    return value if isinstance(value, NameObject) else None


def _refusal(size: int, sha512: str, problem: PdfProblem) -> PdfAnalysis:
    return PdfAnalysis(
        problems=(problem,),
        findings=(),
        page_count=0,
        size=size,
        sha512=sha512,
        has_form_fields=False,
        oversized_pages=(),
        text_chars=0,
    )


def too_large_analysis(size: int, max_bytes: int) -> PdfAnalysis:
    """The analysis of a file refused for size alone (it is never read)."""
    return _refusal(size, "", _too_large(size, max_bytes))


def _too_large(size: int, max_bytes: int) -> PdfProblem:
    return PdfProblem(
        "too_large",
        f"This file is {_megabytes(size)} MB; the court accepts PDF files of up "
        f"to {_megabytes(max_bytes)} MB. Split the document into smaller PDFs "
        "(for example, file exhibits as separate attachments), or scan at 300 "
        "dpi or less in black and white, and upload again.",
    )


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.1f}".removesuffix(".0") if value >= 0.1 else "0.1"


def _page_size_message(pages: Sequence[int]) -> str:
    shown = [str(page) for page in pages[:10]]
    if len(pages) == 1:
        which = f"Page {shown[0]} is"
    elif len(pages) <= 10:
        which = f"Pages {', '.join(shown[:-1])} and {shown[-1]} are"
    else:
        which = f"Pages {', '.join(shown)}, and {len(pages) - 10} more are"
    return (
        f"{which} larger than legal size (8.5 \u00d7 14 inches). Court documents "
        "must fit on 8.5 \u00d7 11 inch pages. Accept the offered copy reduced to "
        "letter size, or print the document to PDF on letter paper with "
        "\u201cfit to page\u201d turned on, and upload it again."
    )


_NOT_PDF = (
    "This file is not a PDF. Save or print the document as a PDF and upload it again."
)
_NOT_PDF_PREFIX = (
    "This file is not a plain PDF: other content comes before the PDF begins, "
    "which is how disguised files are built. Print the document to a new PDF "
    "and upload that copy."
)
_NOT_PDF_TRAILER = (
    "This file is not a plain PDF: another file (such as an archive or web "
    "page) is attached after the end of the PDF. Print the document to a new "
    "PDF and upload that copy."
)
_EMPTY_FILE = (
    "This file is empty (0 bytes). Check that you chose the right file and "
    "upload it again."
)
_EMPTY_NO_PAGES = (
    "This PDF has no pages. Check that you chose the right file, save it as a "
    "PDF again, and upload it."
)
_ENCRYPTED = (
    "This PDF is encrypted or password-protected, which the court cannot "
    "accept. Remove the password and security settings (or print it to a new "
    "PDF) and upload it again."
)
_JAVASCRIPT = (
    "This PDF contains JavaScript, which the court cannot accept. Print the "
    "document to a new PDF (this drops scripts) and upload that copy."
)
_XFA = (
    "This PDF is a dynamic (XFA) form, which can run scripts and which the "
    "court cannot accept. Print the completed form to a new PDF and upload "
    "that copy."
)
_LAUNCH = (
    "This PDF contains an action that starts another program, which the court "
    "cannot accept. Print the document to a new PDF and upload that copy."
)
_EMBEDDED_FILES = (
    "This PDF has files attached inside it, which the court cannot accept. "
    "Upload each exhibit as its own PDF attachment to the filing, then print "
    "this document to a new PDF and upload that copy."
)
_MEDIA = (
    "This PDF contains audio or video, which the court cannot accept in a PDF. "
    "Print the document to a new PDF (this drops the media) and upload that "
    "copy; submit recordings as the court's procedures direct."
)
_DAMAGED = (
    "This PDF is damaged or incomplete and cannot be read reliably. Open it in "
    "a PDF reader, print it to a new PDF, and upload the new file."
)
_IMAGE_TOO_LARGE = (
    "This PDF contains an image that declares a size far larger than any page "
    f"needs (over {MAX_IMAGE_PIXELS // 1_000_000:,} million pixels), which would "
    "stop a reader from opening it. Print the document to a new PDF, or scan it "
    "again at 300 dpi, and upload that copy."
)
_TOO_MANY_PAGES = (
    f"This PDF has more than {MAX_PAGES:,} pages. Split it into smaller PDFs "
    "and upload them as separate attachments."
)
