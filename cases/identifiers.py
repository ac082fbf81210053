"""Normalize, check and mask debtor tax identifiers (SSN, ITIN, EIN).

Pure code with no Django imports.

The full number is entered when a case is opened, but only the last four
digits may ever be shown publicly (FRBP 9037(a); cmecf.md §4.2). So:

- Error messages never repeat what was typed: a ValueError may end up in a
  log or an error page, and the input may be a real SSN.
- Normalized values are bare digit strings; display goes through `mask_ssn`
  and `mask_ein` (or `TaxId.masked`), which keep only the last four digits.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

# Hyphen look-alikes that arrive from pasted text: hyphen, non-breaking
# hyphen, figure dash, en dash, em dash, minus sign.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_DASH_TABLE = str.maketrans(dict.fromkeys(_DASHES, "-"))

# ASCII digit classes on purpose: \d would also accept other scripts' digits.
_BARE_RE = re.compile(r"[0-9]{9}")
_SSN_SHAPE_RE = re.compile(r"([0-9]{3})([- ])([0-9]{2})\2([0-9]{4})")
_EIN_SHAPE_RE = re.compile(r"([0-9]{2})-([0-9]{7})")

# IRS: ITIN group (middle) digits, since 2011 (irs.gov "ITIN ranges").
_ITIN_GROUPS = frozenset(
    [*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100)]
)


class TaxIdKind(enum.StrEnum):
    """Which kind of taxpayer number a debtor gave."""

    SSN = "ssn"
    ITIN = "itin"
    EIN = "ein"


def _clean(text: str) -> str:
    return text.strip().translate(_DASH_TABLE)


def _ssn_digits(text: str, *, what: str) -> str:
    """Return the 9 digits of a number written like an SSN, or raise."""
    cleaned = _clean(text)
    if _BARE_RE.fullmatch(cleaned):
        return cleaned
    match = _SSN_SHAPE_RE.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"{what} has 9 digits, written like 123-45-6789.")
    return match[1] + match[3] + match[4]


def normalize_ssn(text: str) -> str:
    """Return a Social Security number as 9 digits.

    Accepts ``123-45-6789``, ``123 45 6789`` or ``123456789``. Raises
    ValueError, with a message that does not repeat the input, for anything
    else and for numbers the SSA never issues: area 000, 666 or 900-999,
    group 00, serial 0000 (SSA, "Social Security Number Randomization").
    """
    digits = _ssn_digits(text, what="A Social Security number")
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area.startswith("9"):
        raise ValueError(
            "A Social Security number never starts with 9; numbers starting "
            "with 9 are ITINs."
        )
    if area in ("000", "666"):
        raise ValueError(
            "This is not a valid Social Security number: none start with 000 or 666."
        )
    if group == "00":
        raise ValueError(
            "This is not a valid Social Security number: the middle two "
            "digits are never 00."
        )
    if serial == "0000":
        raise ValueError(
            "This is not a valid Social Security number: the last four "
            "digits are never 0000."
        )
    return digits


def normalize_itin(text: str) -> str:
    """Return an Individual Taxpayer Identification Number as 9 digits.

    Accepts the same shapes as `normalize_ssn`. An ITIN starts with 9 and its
    middle two digits are 50-65, 70-88, 90-92 or 94-99 (IRS). Raises
    ValueError otherwise, without repeating the input.
    """
    digits = _ssn_digits(text, what="An ITIN")
    if not digits.startswith("9"):
        raise ValueError("An ITIN always starts with 9.")
    if int(digits[3:5]) not in _ITIN_GROUPS:
        raise ValueError(
            "This is not a valid ITIN: the middle two digits must be 50-65, "
            "70-88, 90-92 or 94-99."
        )
    return digits


def normalize_ein(text: str) -> str:
    """Return an Employer Identification Number as 9 digits.

    Accepts ``12-3456789`` or ``123456789``. The IRS never issues prefix 00;
    other prefixes are not checked, since the IRS adds new ones. Raises
    ValueError otherwise, without repeating the input.
    """
    cleaned = _clean(text)
    if _BARE_RE.fullmatch(cleaned):
        digits = cleaned
    elif match := _EIN_SHAPE_RE.fullmatch(cleaned):
        digits = match[1] + match[2]
    else:
        raise ValueError("An EIN has 9 digits, written like 12-3456789.")
    if digits.startswith("00"):
        raise ValueError("This is not a valid EIN: none start with 00.")
    return digits


def _last_four(digits: str) -> str:
    cleaned = _clean(digits).replace("-", "").replace(" ", "")
    if not _BARE_RE.fullmatch(cleaned):
        raise ValueError("Expected a 9-digit taxpayer number.")
    return cleaned[-4:]


def mask_ssn(digits: str) -> str:
    """Return an SSN or ITIN for public display: ``xxx-xx-1234``.

    Raises ValueError unless `digits` holds exactly 9 digits (hyphens and
    spaces are ignored).
    """
    return f"xxx-xx-{_last_four(digits)}"


def mask_ein(digits: str) -> str:
    """Return an EIN for public display: ``xx-xxx1234``.

    Raises ValueError unless `digits` holds exactly 9 digits (hyphens and
    spaces are ignored).
    """
    return f"xx-xxx{_last_four(digits)}"


@dataclass(frozen=True)
class TaxId:
    """A checked taxpayer number: its kind and 9 bare digits."""

    kind: TaxIdKind
    digits: str

    @classmethod
    def parse(cls, text: str, *, entity: bool) -> TaxId:
        """Return the TaxId for what the user typed; see `classify_tax_id`."""
        kind, digits = classify_tax_id(text, entity=entity)
        return cls(kind=kind, digits=digits)

    @property
    def masked(self) -> str:
        """Return the public form, showing only the last four digits."""
        if self.kind is TaxIdKind.EIN:
            return mask_ein(self.digits)
        return mask_ssn(self.digits)

    @property
    def formatted(self) -> str:
        """Return the full number with hyphens; never show it publicly."""
        d = self.digits
        if self.kind is TaxIdKind.EIN:
            return f"{d[:2]}-{d[2:]}"
        return f"{d[:3]}-{d[3:5]}-{d[5:]}"

    def __repr__(self) -> str:
        # Keep full numbers out of tracebacks and debug logs.
        return f"TaxId(kind={self.kind.value!r}, masked={self.masked!r})"


def classify_tax_id(text: str, *, entity: bool) -> tuple[TaxIdKind, str]:
    """Tell SSN, ITIN or EIN apart from what the user typed; return (kind, digits).

    A business debtor (`entity=True`) is identified by an EIN; an individual
    by an SSN, or an ITIN when the number starts with 9 (cmecf.md §2.3).
    A number typed in the other kind's shape (``12-3456789`` for a person,
    ``123-45-6789`` for a business) is refused rather than guessed at. Raises
    ValueError with a plain message that does not repeat the input.
    """
    cleaned = _clean(text)
    if entity:
        if _SSN_SHAPE_RE.fullmatch(cleaned):
            raise ValueError(
                "This looks like a Social Security number. A business debtor "
                "is identified by its EIN, written like 12-3456789."
            )
        return TaxIdKind.EIN, normalize_ein(cleaned)
    if _EIN_SHAPE_RE.fullmatch(cleaned):
        raise ValueError(
            "This looks like an EIN. An individual debtor is identified by a "
            "Social Security number or ITIN, written like 123-45-6789."
        )
    digits = _ssn_digits(cleaned, what="A Social Security number or ITIN")
    if digits.startswith("9"):
        return TaxIdKind.ITIN, normalize_itin(digits)
    return TaxIdKind.SSN, normalize_ssn(digits)
