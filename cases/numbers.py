"""Format and parse bankruptcy case numbers.

Pure code with no Django imports, so the rules can be tested on their own.

A case number names office, year, case type and sequence number, e.g.
``3:24-bk-01234-LT`` (azb Rule 1005-1; cmecf.md §2.1). Courts print it in
several shapes, so formatting takes a style, and parsing accepts every common
shape a person might paste into a search box:

====================  ======================  ===============================
style                 bk example              ap example
====================  ======================  ===============================
``short``             ``24-01234``            ``24-90012``
``display``           ``24-01234-LT7``        ``24-90012-LT`` (CASB style)
``long``              ``3:24-bk-01234``       ``3:24-ap-90012``
``long_judge``        ``3:24-bk-01234-LT``    ``3:24-ap-90012-LT`` (CACB style)
====================  ======================  ===============================

Numbers from the training instance carry the prefix ``TRAINING `` in every
style, so nobody can mistake one for a live case; the parser strips it.

Adversary proceedings use their own sequence, and where that range starts
(90001 at CASB) is a court setting applied by the caller. Formatting only
zero-pads to five digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CASE_TYPES = ("bk", "ap")

# Bankruptcy chapters (cmecf.md §2.2). Only these may follow judge initials.
CHAPTERS = ("7", "9", "11", "12", "13", "15")

STYLES = ("short", "display", "long", "long_judge")

TRAINING_PREFIX = "TRAINING "

# Courts assign numbers up to 99999 in a year (the five-digit NNNNN field).
MAX_NUMBER = 99_999

_INITIALS_RE = re.compile(r"[A-Za-z]{1,4}")


@dataclass(frozen=True)
class CaseNumber:
    """One court's case number: office digit, 4-digit year, type and sequence."""

    office: int
    year: int
    case_type: str
    number: int

    def __post_init__(self) -> None:
        if not 0 <= self.office <= 9:
            raise ValueError("The office must be a single digit, 0 to 9.")
        if not 1000 <= self.year <= 9999:
            raise ValueError("The year must have four digits.")
        if self.case_type not in CASE_TYPES:
            raise ValueError('The case type must be "bk" or "ap".')
        if not 1 <= self.number <= MAX_NUMBER:
            raise ValueError(f"The case number must be between 1 and {MAX_NUMBER}.")


@dataclass(frozen=True)
class CaseNumberQuery:
    """What a person typed, reduced to the parts they gave; None means not given
    (a case number always gives its year)."""

    office: int | None
    year: int
    case_type: str | None
    number: int
    judge_initials: str | None


def format_case_number(
    cn: CaseNumber,
    *,
    style: str = "short",
    judge_initials: str = "",
    chapter: str = "",
    training: bool = False,
) -> str:
    """Return `cn` written in `style` (see the module docstring for examples).

    `judge_initials` is used by "display" and "long_judge"; `chapter` only by
    "display" for a bk case (adversary proceedings have no chapter).
    Raises ValueError for an unknown style, initials that are not 1-4
    letters, or a chapter that is not a bankruptcy chapter.
    """
    if style not in STYLES:
        raise ValueError(f"Unknown case number style {style!r}; use one of {STYLES}.")
    if judge_initials and not _INITIALS_RE.fullmatch(judge_initials):
        raise ValueError("Judge initials must be 1 to 4 letters.")
    if chapter and chapter not in CHAPTERS:
        raise ValueError(f"Chapter must be one of {', '.join(CHAPTERS)}.")
    initials = judge_initials.upper()
    short = f"{cn.year % 100:02d}-{cn.number:05d}"

    if style == "short":
        text = short
    elif style == "display":
        suffix = initials + (chapter if cn.case_type == "bk" else "")
        text = f"{short}-{suffix}" if suffix else short
    else:
        text = f"{cn.office}:{cn.year % 100:02d}-{cn.case_type}-{cn.number:05d}"
        if style == "long_judge" and initials:
            text = f"{text}-{initials}"
    return TRAINING_PREFIX + text if training else text


# Hyphen look-alikes that word processors and PDFs substitute for "-":
# hyphen, non-breaking hyphen, figure dash, en dash, em dash, minus sign.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_DASH = rf"(?:\s*[-{_DASHES}]\s*)"
# Between parts: a dash (spaces around it allowed) or plain whitespace.
_SEP = rf"(?:{_DASH}|\s+)"

# ASCII digit classes on purpose: \d would also accept Arabic-Indic digits.
_CASE_NUMBER_RE = re.compile(
    rf"""
    (?:TRAINING\s+)?
    (?:(?P<office>[0-9])(?:\s*:\s*|{_DASH}))?   # 3:  or  3-  (NYEB: 1-23-42603)
    (?P<year>[0-9]{{4}}|[0-9]{{2}})
    (?:{_SEP}(?P<type>bk|ap))?
    {_SEP}
    (?P<number>[0-9]{{1,5}})
    (?:
        {_SEP}
        (?:
            (?P<judge>[A-Z]{{1,4}})(?:{_DASH}?(?P<chapter>[0-9]{{1,2}}))?
          | (?P<chapter_only>[0-9]{{1,2}})
        )
    )?
    """,
    re.IGNORECASE | re.VERBOSE,
)


def parse_case_number(
    text: str, *, default_century: int = 2000
) -> CaseNumberQuery | None:
    """Read a case number in any common court format; None if it isn't one.

    Accepted: ``24-01234``, ``24-1234``, ``2024-01234``, ``3:24-bk-01234``,
    ``3:24-bk-01234-LT``, ``24-01234-LT7``, ``24-01234-7``, ``24-90012-LT``,
    ``17-90266-BHL-13`` (INSB), ``3-24-01234`` and ``1-23-42603-nhl`` (NYEB),
    ``24 bk 01234``; any case; en dashes and other dash look-alikes; spaces
    around the parts; and the ``TRAINING`` prefix, which is dropped.

    Two-digit years land in `default_century`; four-digit years must be
    1900-2099. A chapter suffix implies a bk case and is not returned.
    Refused (None): ambiguous run-together forms such as ``324-01234``,
    case types other than bk/ap, sequence numbers of 0 or over 99999,
    chapters that do not exist (``24-01234-5``), and an ap number with a
    chapter. Raises ValueError only if `default_century` is not a multiple
    of 100.
    """
    if default_century % 100:
        raise ValueError("default_century must be a multiple of 100, e.g. 2000.")
    match = _CASE_NUMBER_RE.fullmatch(text.strip())
    if match is None:
        return None

    year_text = match["year"]
    if len(year_text) == 2:
        year = default_century + int(year_text)
    else:
        year = int(year_text)
        if not 1900 <= year <= 2099:
            return None

    number = int(match["number"])
    if not 1 <= number <= MAX_NUMBER:
        return None

    case_type = match["type"].lower() if match["type"] else None
    chapter = match["chapter"] or match["chapter_only"]
    if chapter is not None:
        if chapter not in CHAPTERS:
            return None
        # Only a bankruptcy case has a chapter (CASB "24-04888-CL7").
        if case_type == "ap":
            return None
        case_type = "bk"

    return CaseNumberQuery(
        office=int(match["office"]) if match["office"] else None,
        year=year,
        case_type=case_type,
        number=number,
        judge_initials=match["judge"].upper() if match["judge"] else None,
    )
