"""Parse and check a creditor matrix (mailing list) uploaded as a .txt file.

Pure code with no Django imports: bytes in, a `MatrixResult` out.

The input is untrusted: anything a filer uploads, including a PDF or a
spreadsheet sent by mistake, a file in another encoding, or a huge file.
Every problem becomes a `MatrixError` with a line number and plain words; the
parser never raises on bad content. Line numbers count physical lines
(CR, LF and CRLF each end a line) starting at 1. Line 0 means the whole
file.

The format is the one most courts publish (cmecf.md §2.4; canb.uscourts.gov
ecf/efiling-manual/creditor-matrix-requirements):

- Creditors are separated by one or more blank lines.
- Each creditor has 1 to `max_lines` lines (canb: 5; NEB: 4), each at most
  `max_chars` characters including blanks (canb: 40; NVB: 50).
- Lines are left-justified: no leading spaces, no tabs.
- Only printable ASCII characters.
- No headers, footers or page numbers.
- The first line is the name; the last line is ``City, ST ZIP`` with a
  two-letter USPS code and a ZIP of ``12345`` or ``12345-6789``.
- The debtor, the debtor's attorney, the U.S. trustee, the trustee and the
  judge are left off (nyeb.uscourts.gov/mailing-matrix-specifications).

Tolerated silently, since they are invisible and harmless: a UTF-8 byte
order mark, trailing spaces and tabs, a DOS end-of-file mark (Ctrl-Z) at the
very end, and blank lines before the first or after the last creditor.

Foreign addresses (a rule of this system, following the USPS rule that the
country name goes alone on the last line in capitals): the last line may be a
country name in capital letters, e.g. ``CANADA``, with the line before it
free-form (city, province, postal code in that country's order). The country
must be on `FOREIGN_COUNTRIES`, so a mistyped street line in capitals is not
taken for a country. Such a creditor needs at least three lines, and its
`city`, `state` and `zip` are empty.

Creditors that appear twice (same `key`) are not errors: the later copy is
skipped and reported in `MatrixResult.duplicates`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .addresses import (
    FOREIGN_COUNTRIES,
    MILITARY_CITIES,
    MILITARY_STATE_CODES,
    US_COUNTRY_LINES,
    US_STATE_CODES,
)

# Lines that are report furniture, never part of an address (canb: "no
# headers, footers or page numbers"). Matched on the whole line, so the
# check is deterministic and cannot fire inside a real address.
_FURNITURE_RE = re.compile(
    r"""
    (?:page\s+[0-9]+(?:\s+of\s+[0-9]+)?)
    | (?:-\s*[0-9]+\s*-)
    | (?:(?:creditor|mailing|master\s+mailing)\s+(?:matrix|list))
    | (?:list\s+of\s+creditors)
    | (?:creditor\s+mailing\s+matrix)
    """,
    re.IGNORECASE | re.VERBOSE,
)

_CITY_LINE_RE = re.compile(r"(?P<city>[^,]*),\s*(?P<state>\S+)\s+(?P<zip>\S+)")
_STATE_RE = re.compile(r"[A-Z]{2}")
_ZIP_RE = re.compile(r"[0-9]{5}(?:-[0-9]{4})?")
_KEY_DROP_RE = re.compile(r"[^A-Z0-9 ]+")
_SPACES_RE = re.compile(r" {2,}")
_LINE_BREAK_RE = re.compile(rb"\r\n|\r|\n")

_UTF8_BOM = b"\xef\xbb\xbf"
_DOS_EOF = b"\x1a"
# Bytes sniffed for a wrong file type; matrices are small, so 8 KB is plenty.
_SNIFF_BYTES = 8192
# Share of control bytes above which the upload is treated as binary. Text
# with a few stray control characters stays under it and gets per-line errors.
_BINARY_CONTROL_SHARE = 0.10
# ...and never on fewer than this many, so a tiny file with one stray byte is
# still read as text.
_BINARY_MIN_CONTROLS = 8
_MAGIC = (
    (b"%PDF-", "it looks like a PDF"),
    (b"PK\x03\x04", "it looks like a Word, Excel or zip file"),
    (b"\xd0\xcf\x11\xe0", "it looks like a Word or Excel file"),
    (b"{\\rtf", "it looks like a rich-text (RTF) document"),
    (b"\xff\xfe", 'it is saved as UTF-16 ("Unicode") text'),
    (b"\xfe\xff", 'it is saved as UTF-16 ("Unicode") text'),
)
_NOT_TEXT = (
    "This file is not a plain-text creditor matrix ({why}). Save the list as "
    "plain text (.txt, ASCII) and upload that file."
)


@dataclass(frozen=True)
class MatrixCreditor:
    """One creditor as listed: `lines` includes the name line."""

    name: str
    lines: tuple[str, ...]
    city: str
    state: str
    zip: str
    first_line_no: int
    # Set, in capitals, only for a foreign address; city/state/zip are then "".
    country: str = ""

    @property
    def key(self) -> str:
        """Return the duplicate-detection key (see `creditor_key`)."""
        return creditor_key(self.lines)


@dataclass(frozen=True)
class MatrixError:
    """One problem, at `line_no` (0 for the whole file), in plain words."""

    line_no: int
    message: str


@dataclass(frozen=True)
class MatrixResult:
    """Creditors that passed every check, the problems found, and duplicates.

    `duplicates` holds (first line of the skipped copy, first line of the
    earlier one). `creditors` excludes blocks that have errors.
    """

    creditors: tuple[MatrixCreditor, ...]
    errors: tuple[MatrixError, ...]
    duplicates: tuple[tuple[int, int], ...]

    @property
    def ok(self) -> bool:
        """Return True if the file has no errors (duplicates are not errors)."""
        return not self.errors


def creditor_key(lines: Iterable[str]) -> str:
    """Return the normalized key used to spot the same creditor twice.

    Upper-cased, punctuation removed, runs of spaces collapsed, lines joined
    with "|". Use it for creditors already on a case, to pass as
    `existing_keys` to `new_creditors`.
    """
    return "|".join(_normalize(line) for line in lines)


def parse_matrix(
    data: bytes,
    *,
    max_lines: int = 5,
    max_chars: int = 40,
    excluded_names: Iterable[str] = (),
) -> MatrixResult:
    """Check an uploaded matrix and return its creditors and problems.

    `max_lines` and `max_chars` are the court's limits. A creditor whose name
    line matches one of `excluded_names` (ignoring case, punctuation and
    extra spaces) is an error. Never raises on bad content; raises
    ValueError only if the limits themselves make no sense.
    """
    if max_lines < 2:
        raise ValueError("max_lines must be at least 2 (a name and a city line).")
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1.")

    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    if data.endswith(_DOS_EOF):
        data = data[: -len(_DOS_EOF)]

    why_not_text = _why_not_text(data)
    if why_not_text:
        return _file_error(_NOT_TEXT.format(why=why_not_text))

    lines = [raw.rstrip(b" \t") for raw in _LINE_BREAK_RE.split(data)]
    if not any(lines):
        return _file_error("The file is empty; it lists no creditors.")

    errors: list[MatrixError] = []
    excluded = {_normalize(name) for name in excluded_names}
    excluded.discard("")
    creditors: list[MatrixCreditor] = []
    duplicates: list[tuple[int, int]] = []
    first_seen: dict[str, int] = {}

    for block in _blocks(lines):
        creditor = _check_block(
            block,
            max_lines=max_lines,
            max_chars=max_chars,
            excluded=excluded,
            errors=errors,
        )
        if creditor is None:
            continue
        earlier = first_seen.get(creditor.key)
        if earlier is not None:
            duplicates.append((creditor.first_line_no, earlier))
            continue
        first_seen[creditor.key] = creditor.first_line_no
        creditors.append(creditor)

    errors.sort(key=lambda error: error.line_no)
    return MatrixResult(tuple(creditors), tuple(errors), tuple(duplicates))


def new_creditors(
    result: MatrixResult, existing_keys: Iterable[str]
) -> list[MatrixCreditor]:
    """Return the creditors in `result` whose keys are not in `existing_keys`.

    For an amended matrix, only new creditors are added (areb book 65;
    cmecf.md §2.4). Keys come from `creditor_key`; order is the file's.
    """
    existing = set(existing_keys)
    return [creditor for creditor in result.creditors if creditor.key not in existing]


def _normalize(text: str) -> str:
    # NFKD then dropping what is left outside A-Z/0-9 turns "José" into "JOSE",
    # so an excluded name typed with accents still matches the ASCII matrix.
    decomposed = unicodedata.normalize("NFKD", " ".join(text.upper().split()))
    return _SPACES_RE.sub(" ", _KEY_DROP_RE.sub("", decomposed)).strip()


def _file_error(message: str) -> MatrixResult:
    return MatrixResult((), (MatrixError(0, message),), ())


def _why_not_text(data: bytes) -> str:
    """Return why `data` is plainly not a text file, or "" if it may be one."""
    for magic, why in _MAGIC:
        if data.startswith(magic):
            return why
    if b"\x00" in data:
        return "it contains binary data"
    head = data[:_SNIFF_BYTES]
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r\x0c")
    if controls >= _BINARY_MIN_CONTROLS and controls > _BINARY_CONTROL_SHARE * len(
        head
    ):
        return "it contains binary data"
    return ""


def _blocks(lines: list[bytes]) -> Iterable[list[tuple[int, bytes]]]:
    """Yield runs of non-blank lines as (line number, raw line) pairs."""
    block: list[tuple[int, bytes]] = []
    for line_no, raw in enumerate(lines, start=1):
        if raw:
            block.append((line_no, raw))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _decode(raw: bytes) -> tuple[str, bool]:
    """Return the line as text and whether it was valid UTF-8.

    A line that is not UTF-8 (e.g. Windows-1252) is decoded byte for byte, so
    each byte is one column in the error message.
    """
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw.decode("latin-1"), False


def _describe_byte(byte: int) -> str:
    """Describe a non-ASCII byte, guessing the Windows-1252 character it was."""
    try:
        guess = bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return f"the byte 0x{byte:02X}, which is not plain ASCII"
    return f'the byte 0x{byte:02X} (probably "{guess}"), which is not plain ASCII'


def _check_line(
    line_no: int, text: str, *, utf8: bool, max_chars: int
) -> list[MatrixError]:
    """Return the character-level problems of one line."""
    problems: list[MatrixError] = []
    bad = [(col, ch) for col, ch in enumerate(text, start=1) if not " " <= ch <= "~"]
    if bad:
        col, ch = bad[0]
        ascii_only = "Only plain ASCII letters, digits and punctuation are allowed."
        if ch == "\t":
            what, fix = "a tab", "Use spaces instead of tabs."
        elif ch == "\f":
            what, fix = "a page break (form feed)", "Remove page breaks."
        elif ch < " " or ch == "\x7f":
            what, fix = f"a control character (code {ord(ch)})", "Remove it."
        elif utf8:
            what, fix = f'the character "{ch}" (U+{ord(ch):04X})', ascii_only
        else:
            what, fix = _describe_byte(ord(ch)), ascii_only
        more = ""
        if len(bad) == 2:
            more = " 1 more character on this line is not allowed either."
        elif len(bad) > 2:
            more = (
                f" {len(bad) - 1} more characters on this line are not allowed either."
            )
        problems.append(
            MatrixError(
                line_no, f"Line {line_no}, column {col} has {what}.{more} {fix}"
            )
        )
    if text.startswith(" "):
        problems.append(
            MatrixError(
                line_no,
                f"Line {line_no} starts with a space; every line must start "
                "at the left margin.",
            )
        )
    if len(text) > max_chars:
        problems.append(
            MatrixError(
                line_no,
                f"Line {line_no} has {len(text)} characters; the court allows "
                f"at most {max_chars}.",
            )
        )
    return problems


def _check_block(
    block: list[tuple[int, bytes]],
    *,
    max_lines: int,
    max_chars: int,
    excluded: set[str],
    errors: list[MatrixError],
) -> MatrixCreditor | None:
    """Check one creditor; append its problems to `errors`.

    Return the creditor, or None if it had any problem.
    """
    errors_before = len(errors)
    kept: list[tuple[int, str]] = []
    for line_no, raw in block:
        text, utf8 = _decode(raw)
        if _FURNITURE_RE.fullmatch(text.strip()):
            errors.append(
                MatrixError(
                    line_no,
                    f'Line {line_no} ("{text.strip()}") looks like a heading, '
                    "footer or page number. Remove headings, footers and page "
                    "numbers; the file should hold only creditor addresses.",
                )
            )
            continue
        errors.extend(_check_line(line_no, text, utf8=utf8, max_chars=max_chars))
        kept.append((line_no, text))
    if not kept:
        return None

    first_line_no, name = kept[0]
    lines = tuple(text for _, text in kept)
    label = f"The creditor starting on line {first_line_no} ({name.strip()})"

    if len(lines) > max_lines:
        errors.append(
            MatrixError(
                first_line_no,
                f"{label} has {len(lines)} lines; the court allows at most "
                f"{max_lines}. Put a blank line between creditors.",
            )
        )
    if _normalize(name) in excluded:
        errors.append(
            MatrixError(
                first_line_no,
                f"{label} must not be on the matrix: leave off the debtor, the "
                "debtor's attorney, the U.S. trustee, the trustee and the judge.",
            )
        )

    address = _check_last_line(kept, label=label, errors=errors)
    if address is None or len(errors) > errors_before:
        return None
    city, state, zip_code, country = address
    return MatrixCreditor(
        name=name,
        lines=lines,
        city=city,
        state=state,
        zip=zip_code,
        first_line_no=first_line_no,
        country=country,
    )


def _check_last_line(
    kept: list[tuple[int, str]], *, label: str, errors: list[MatrixError]
) -> tuple[str, str, str, str] | None:
    """Return (city, state, zip, country) from the last line, or None."""
    line_no, last = kept[-1]
    example = 'like "Santa Ana, CA 92705" or "Santa Ana, CA 92705-9993"'
    if len(kept) == 1:
        errors.append(
            MatrixError(
                line_no,
                f"{label} has no address. Its last line must be the city, "
                f"state and ZIP code, {example}.",
            )
        )
        return None

    if last in FOREIGN_COUNTRIES:
        if len(kept) < 3:
            errors.append(
                MatrixError(
                    line_no,
                    f"{label} has a country but no address; put the address "
                    "lines between the name and the country.",
                )
            )
            return None
        return "", "", "", last

    if last.upper() in FOREIGN_COUNTRIES:
        errors.append(
            MatrixError(
                line_no,
                f'Line {line_no}: write the country in capital letters ("{last.upper()}").',
            )
        )
        return None

    if last.upper() in US_COUNTRY_LINES:
        errors.append(
            MatrixError(
                line_no,
                f"Line {line_no}: leave out the country for a U.S. address. "
                f"The last line must be the city, state and ZIP code, {example}.",
            )
        )
        return None

    match = _CITY_LINE_RE.fullmatch(last)
    if match is None or not match["city"].strip():
        errors.append(
            MatrixError(
                line_no,
                f"Line {line_no} should be the city, state and ZIP code, "
                f"{example}. For a foreign address, put the country alone on "
                "the last line in capital letters.",
            )
        )
        return None

    city, state, zip_code = match["city"].strip(), match["state"], match["zip"]
    ok = True
    if state.upper() in US_STATE_CODES and state != state.upper():
        errors.append(
            MatrixError(
                line_no,
                f'Line {line_no}: write the state code in capitals ("{state.upper()}").',
            )
        )
        ok = False
    elif not (_STATE_RE.fullmatch(state) and state in US_STATE_CODES):
        errors.append(
            MatrixError(
                line_no,
                f'Line {line_no}: "{state}" is not a two-letter USPS state code '
                "(for example CA, NY, DC, PR).",
            )
        )
        ok = False
    if not _ZIP_RE.fullmatch(zip_code):
        errors.append(
            MatrixError(
                line_no,
                f'Line {line_no}: "{zip_code}" is not a ZIP code; write 5 digits '
                "(12345) or ZIP+4 with a hyphen (12345-6789).",
            )
        )
        ok = False
    if ok and state in MILITARY_STATE_CODES and city.upper() not in MILITARY_CITIES:
        errors.append(
            MatrixError(
                line_no,
                f"Line {line_no}: a military address (AA, AE or AP) uses APO, "
                "FPO or DPO as the city.",
            )
        )
        ok = False
    return (city, state, zip_code, "") if ok else None
